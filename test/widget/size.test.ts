/**
 * What ships: the built, minified /tp.js measured on every `npm test` — as the collector sends it
 * (the build's zopfli gzip and brotli 11), and as zlib's level 9 gzips it (how the peers' figures
 * were taken).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const file = join(process.cwd(), 'dist', 'tp.js');

/** The budget for the core tag, gzip bytes as served (Plausible ships 2,670). */
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
 * 3,200 for middle-clicks on outbound links (`auxclick`): 3,184 B; measured as served (zopfli)
 * from then on, 3,135 B, and lowered to 3,150; raised to 3,200 for a tab storing its events once
 * another tab's grant reaches it (+7), form submissions sent before consent (+26) and SPA
 * routes re-targeting the forms chunk's popups (+6): 3,174 B.
 */
const CEILING = 3_200;

/** Sizes in bytes: raw, the served gzip and brotli (the build's twins), zlib's level-9 gzip. */
const sizes = () => {
  const raw = readFileSync(file);
  const gz = readFileSync(`${file}.gz`);
  const br = readFileSync(`${file}.br`);
  // The twins are of this very build: what a browser unpacks is the tag.
  expect(gunzipSync(gz).equals(raw)).toBe(true);
  expect(brotliDecompressSync(br).equals(raw)).toBe(true);
  return {
    raw: raw.length,
    gzip: gz.length,
    brotli: br.length,
    zlib9: gzipSync(raw, { level: 9 }).length,
  };
};

describe.skipIf(!existsSync(file))('tag size', () => {
  it('is one minified IIFE with no Preact, no zod, no source map', () => {
    const src = readFileSync(file, 'utf8');
    expect(src).toMatch(/^\(\(\)=>\{.*\}\)\(\);$/s);
    expect(src.split('\n').filter(Boolean)).toHaveLength(1);
    expect(src).not.toMatch(/preact|zod|sourceMappingURL/i);
  });

  it(`stays under the regression ceiling of ${CEILING} B gzip as served`, () => {
    const s = sizes();
    console.log(
      `tp.js: ${s.raw} B raw, served ${s.gzip} B gzip (zopfli) / ${s.brotli} B brotli, ${s.zlib9} B zlib gzip -9`,
    );
    // zopfli never does worse than zlib: a larger twin would be a broken build step.
    expect(s.gzip).toBeLessThanOrEqual(s.zlib9);
    expect(s.gzip).toBeLessThanOrEqual(CEILING);
  });

  // Known gap, kept visible: this starts failing (and must become a plain `it`) once met.
  it.fails(`meets the ${BUDGET} B gzip budget as served`, () => {
    expect(sizes().gzip).toBeLessThanOrEqual(BUDGET);
  });
});
