/** What ships: the built, minified /tp.js measured on every `npm test` (gzip and brotli, node:zlib). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const file = join(process.cwd(), 'dist', 'tp.js');

/** The budget for the core tag, gzip bytes (Plausible ships 2,670). */
const BUDGET = 2_560;
/**
 * Regression guard: the size this build reaches today plus a little slack. The budget above is
 * not met yet (see the README's "Size" section); lower this as the tag shrinks. Lowered from
 * 3,000 to 2,950 when the tag went from 2,979 to 2,930 B; raised to 2,990 for fixes that stop
 * events being lost or stalled (consent denial, forms before consent, a 200/redirect answer, a
 * hanging request, a tab refused the send lock): 2,977 B; raised to 3,160 for a Chromium audit's
 * fixes (back-forward cache kept, placeholder identifies, consent across tabs and subdomains,
 * stale beacons, engaged time and scroll depth, phantom sessions, reset across tabs, sandboxed
 * frames, localhost sessions; no cookie probe on a denial before any grant): 3,155 B; raised to
 * 3,200 for middle-clicks on outbound links (`auxclick`): 3,184 B.
 */
const CEILING = 3_200;

const sizes = () => {
  const raw = readFileSync(file);
  return {
    raw: raw.length,
    gzip: gzipSync(raw, { level: 9 }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};

describe.skipIf(!existsSync(file))('tag size', () => {
  it('is one minified IIFE with no Preact, no zod, no source map', () => {
    const src = readFileSync(file, 'utf8');
    expect(src).toMatch(/^\(\(\)=>\{.*\}\)\(\);$/s);
    expect(src.split('\n').filter(Boolean)).toHaveLength(1);
    expect(src).not.toMatch(/preact|zod|sourceMappingURL/i);
  });

  it(`stays under the regression ceiling of ${CEILING} B gzip`, () => {
    const s = sizes();
    console.log(`tp.js: ${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli`);
    expect(s.gzip).toBeLessThanOrEqual(CEILING);
  });

  // Known gap, kept visible: this starts failing (and must become a plain `it`) once met.
  it.fails(`meets the ${BUDGET} B gzip budget`, () => {
    expect(sizes().gzip).toBeLessThanOrEqual(BUDGET);
  });
});
