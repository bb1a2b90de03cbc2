import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node; widget unit tests opt into happy-dom
// with a `// @vitest-environment happy-dom` header. E2E tests drive the built
// files in real Chromium and need `npm run build` first (npm test does it).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
