import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node; widget unit tests opt into happy-dom
// with a `// @vitest-environment happy-dom` header. E2E tests drive the built
// files in real Chromium and need `npm run build` first (npm test does it).
//
// In CI a real-browser test that fails is run once more before the run is called red: a browser
// on a loaded two-core machine can miss a frame, and one such miss used to throw away a whole
// run. A retried test still shows in the report (as "retry"), and a test that fails twice —
// every real regression — still fails the run. Node-only tests are never retried.
const browser = ['test/e2e/**/*.test.ts', 'test/security/crash-browser.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: browser,
        },
      },
      {
        extends: true,
        test: { name: 'browser', include: browser, retry: process.env.CI ? 1 : 0 },
      },
    ],
  },
});
