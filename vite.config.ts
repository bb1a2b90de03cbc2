import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

// `npm run build` runs one Vite build per target (`--mode`), all into dist/:
//   core      dist/tp.js          the tag: one minified IIFE (served at /tp.js)
//   esm       dist/esm/tp.mjs     the tag as an ES module, for bundlers
//   forms     dist/tp-forms.js    the forms chunk (Preact), import()ed only when a form will show
//   dashboard dist/dashboard/     the marketer dashboard (Preact), served at /dashboard/
const targets: Record<string, UserConfig> = {
  core: {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      // Evergreen browsers only: no down-levelling (optional chaining etc. stay short), no polyfills.
      target: 'es2022',
      // The size budget (2,560 B gzip) is checked by test/widget/size.test.ts.
      minify: 'oxc',
      lib: {
        entry: 'widget/index.ts',
        name: 'touchpointTag',
        formats: ['iife'],
        fileName: () => 'tp.js',
      },
      rolldownOptions: {
        output: { minify: { compress: { target: 'es2022' }, mangle: { toplevel: true } } },
      },
    },
  },
  esm: {
    build: {
      outDir: 'dist/esm',
      emptyOutDir: true,
      target: 'es2019',
      lib: { entry: 'widget/esm.ts', formats: ['es'], fileName: () => 'tp.mjs' },
    },
  },
  forms: {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2019',
      lib: { entry: 'widget/forms/index.tsx', formats: ['es'], fileName: () => 'tp-forms.js' },
      // Vite leaves ES library output unminified; the chunk ships to browsers, so minify it fully.
      rolldownOptions: { output: { minify: true } },
    },
  },
  dashboard: {
    root: resolve(import.meta.dirname, 'demo/dashboard'),
    base: '/dashboard/',
    build: {
      outDir: resolve(import.meta.dirname, 'dist/dashboard'),
      emptyOutDir: true,
      target: 'es2020',
    },
  },
};

export default defineConfig(({ mode }) => {
  const config = targets[mode];
  if (!config)
    throw new Error(`vite: unknown --mode ${mode}; one of ${Object.keys(targets).join(', ')}`);
  return {
    ...config,
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    logLevel: 'warn',
  };
});
