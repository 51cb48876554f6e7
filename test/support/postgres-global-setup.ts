import type { TestProject } from 'vitest/node';
import { startTestCluster } from './postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throw-away cluster's superuser URL; test files make their own database (./postgres.ts). */
    postgresAdminUrl: string;
  }
}

/** One PostgreSQL cluster for the whole run, removed at the end (vitest globalSetup). */
export default async function setup(project: TestProject) {
  const cluster = await startTestCluster();
  project.provide('postgresAdminUrl', cluster.adminUrl);
  return async () => cluster.stop();
}
