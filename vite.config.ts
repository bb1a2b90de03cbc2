import { defineConfig } from 'vite';

// `npm run build`: the tag as one minified IIFE, dist/tp.js (served at /tp.js).
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2019',
    lib: {
      entry: 'widget/index.ts',
      name: 'touchpointTag',
      formats: ['iife'],
      fileName: () => 'tp.js',
    },
  },
});
