import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { gzipAsync } from '@gfx/zopfli';
import { minify } from '@swc/core';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * Minifies the tag with swc, which compresses this code about 80 B gzip smaller than oxc (the
 * budget is 2,560 B). `unsafe*` and `pure_getters` are sound here: the tag reads no getters with
 * side effects and never relies on `Function.prototype.toString` or arrow `this`. Runs in
 * generateBundle: after Vite has wrapped the IIFE and printed its output.
 */
const swcMinify = (): Plugin => ({
  name: 'tag-swc-minify',
  async generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type !== 'chunk') continue;
      const out = await minify(chunk.code, {
        ecma: 2022,
        module: false,
        compress: {
          ecma: 2022,
          passes: 2,
          toplevel: true,
          unsafe: true,
          unsafe_arrows: true,
          unsafe_methods: true,
          pure_getters: true,
        },
        mangle: { toplevel: true },
      });
      chunk.code = out.code;
    }
  },
});

/**
 * Writes each built text file's compressed twins next to it, which the collector serves as they
 * are (collector/http/static.ts): `.gz` by zopfli — a gzip every browser reads, 3–4 % smaller
 * than zlib's best (the tag 3,184 → 3,135 B, the forms chunk 12,259 → 11,911 B) — and `.br`
 * (brotli 11). The slow compressor runs once per build, not in a collector. Files of 512 B or
 * less get none: the collector sends those as they are.
 */
const precompress = (): Plugin => ({
  name: 'precompress',
  async writeBundle(out, bundle) {
    for (const name of Object.keys(bundle)) {
      if (!/\.(m?js|css|html|svg|json)$/.test(name)) continue;
      const file = join(out.dir!, name);
      const raw = await readFile(file);
      if (raw.length <= 512) continue;
      await writeFile(`${file}.gz`, await gzipAsync(raw, { numiterations: 15 }));
      await writeFile(
        `${file}.br`,
        brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  },
});

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
      // The size budget (2,560 B gzip) is checked by test/widget/size.test.ts. Minified by swc
      // (the plugin below), not by Vite.
      minify: false,
      lib: {
        entry: 'widget/index.ts',
        name: 'touchpointTag',
        formats: ['iife'],
        fileName: () => 'tp.js',
      },
    },
    plugins: [swcMinify(), precompress()],
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
      // Loaded only by the core tag, which is es2022 itself: no down-levelling (−280 B gzip).
      target: 'es2022',
      lib: { entry: 'widget/forms/index.tsx', formats: ['es'], fileName: () => 'tp-forms.js' },
      // Vite leaves ES library output unminified; the chunk ships to browsers, so minify it fully.
      // Build-time annotations (`@__PURE__`) have done their work: they do not ship.
      rolldownOptions: {
        output: { minify: true, comments: { legal: true, annotation: false, jsdoc: false } },
      },
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
    // Every target ships its files compressed (the tag also minifies with swc first).
    plugins: config.plugins ?? [precompress()],
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    logLevel: 'warn',
  };
});
