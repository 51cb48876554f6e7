import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumPath } from './test/support/chromium.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Three front ends share one build: the pod ConnectWise frames, the admin console, and the
// developer harness (served by the simulated ConnectWise on its own origin).
export default defineConfig({
  root: here('./pod'),
  publicDir: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    // No data: URIs, so the CSP needs no data: source.
    assetsInlineLimit: 0,
    // Every browser that can run ConnectWise's web client has modulepreload.
    modulePreload: { polyfill: false },
    target: 'es2022',
    rollupOptions: {
      input: {
        pod: here('./pod/index.html'),
        admin: here('./pod/admin/index.html'),
        harness: here('./pod/harness/index.html'),
      },
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
});
