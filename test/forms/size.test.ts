import { existsSync, readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Everything the forms need beyond /tp.js (issue 6): 12 KiB gzip, as the collector sends it. */
const BUDGET_GZIP = 12_288;
const CHUNK = 'dist/tp-forms.js';

describe('forms chunk budget', () => {
  it(`dist/tp-forms.js is at most ${BUDGET_GZIP} bytes gzip as served and self-contained`, () => {
    expect(existsSync(CHUNK), 'run `npm run build` first (npm test does)').toBe(true);
    const code = readFileSync(CHUNK);
    // The build's compressed twins, which the collector sends (zopfli's gzip, brotli 11).
    const gz = readFileSync(`${CHUNK}.gz`);
    const br = readFileSync(`${CHUNK}.br`);
    expect(gunzipSync(gz).equals(code)).toBe(true);
    expect(brotliDecompressSync(br).equals(code)).toBe(true);
    const zlib9 = gzipSync(code, { level: 9 }).length;
    console.log(
      `tp-forms.js: ${code.length} B, served ${gz.length} B gzip (zopfli) / ${br.length} B brotli, ${zlib9} B zlib gzip -9`,
    );
    expect(gz.length).toBeLessThanOrEqual(BUDGET_GZIP);
    // One file: a second request for a split chunk would cost a round trip on every form page.
    expect(code.toString()).not.toMatch(/\bimport\s*\(|from\s*["'`]\.{0,2}\//);
    // No zod in the browser (STYLE 8).
    expect(code.toString()).not.toContain('ZodError');
  });
});
