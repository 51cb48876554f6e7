import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Two builds into one folder. The pod, which loads in every ticket, is built alone so that
// none of its code is split into chunks shared with the admin console and the harness (each
// extra chunk costs the pod gzip overhead and a request); `--mode tools` then adds those two.
export default defineConfig(({ mode }) => ({
  root: here('./pod'),
  publicDir: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: mode !== 'tools',
    // No data: URIs, so the CSP needs no data: source.
    assetsInlineLimit: 0,
    // Every browser that can run ConnectWise's web client has modulepreload.
    modulePreload: { polyfill: false },
    target: 'es2022',
    rollupOptions: {
      input: (mode === 'tools'
          ? { admin: here('./pod/admin/index.html'), harness: here('./pod/harness/index.html') }
          : { pod: here('./pod/index.html') }) as Record<string, string>,
    },
  },
  test: {
    root: here('.'),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end files each start Chromium and servers.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/**/*.browser.test.{ts,tsx}', 'test/bench/**', 'node_modules/**'],
          environment: 'node',
          // One throw-away PostgreSQL cluster per run; each test file makes its own database in it.
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
      {
        // Component tests of the front ends, in Debian's Chromium (no browser download).
        extends: true,
        test: {
          name: 'browser',
          include: ['test/**/*.browser.test.{ts,tsx}'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            instances: [{ browser: 'chromium' }],
            provider: playwright({ launchOptions: { executablePath: chromiumPath, args: chromiumArgs } }),
          },
        },
      },
    ],
  },
}));
