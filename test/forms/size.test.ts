import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Everything the forms need beyond /tp.js (issue 6): 12 KiB gzip. */
const BUDGET_GZIP = 12_288;
const CHUNK = 'dist/tp-forms.js';

describe('forms chunk budget', () => {
  it(`dist/tp-forms.js is at most ${BUDGET_GZIP} bytes gzip and self-contained`, () => {
    expect(existsSync(CHUNK), 'run `npm run build` first (npm test does)').toBe(true);
    const code = readFileSync(CHUNK);
    const gz = gzipSync(code, { level: 9 }).length;
    const br = brotliCompressSync(code).length;
    console.log(`tp-forms.js: ${code.length} B, ${gz} B gzip, ${br} B brotli`);
    expect(gz).toBeLessThanOrEqual(BUDGET_GZIP);
    // One file: a second request for a split chunk would cost a round trip on every form page.
    expect(code.toString()).not.toMatch(/\bimport\s*\(|from\s*["'`]\.{0,2}\//);
    // No zod in the browser (STYLE 8).
    expect(code.toString()).not.toContain('ZodError');
  });
});
