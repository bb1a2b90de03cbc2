/**
 * Widget sizes: `dist/tp.js` and the forms chunk, raw, gzip (zlib level 9, as the peers' figures
 * were taken), brotli (quality 11) and gzip as served (the build's zopfli twin, `.gz`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Tracker scripts of the peers, bytes gzip, as /work/shared/PRODUCT.md measured them. */
export const PEERS: Record<string, number> = {
  Plausible: 2_670,
  Umami: 2_206,
  Snowplow: 17_423,
  Segment: 31_322,
  PostHog: 122_168,
};

/** The tag's budget, bytes gzip. */
export const TAG_BUDGET_GZIP = 2_560;

export interface SizeRow {
  file: string;
  raw: number | null;
  gzip: number | null;
  brotli: number | null;
  served: number | null;
}

/**
 * Sizes of the built files (null where a file is not built).
 *
 * @example widgetSizes(['dist/tp.js']) // → [{ file: 'dist/tp.js', raw: 5210, gzip: 2301, brotli: 2050, served: 2262 }]
 */
export function widgetSizes(files = ['dist/tp.js', 'dist/tp-forms.js']): SizeRow[] {
  return files.map((file) => {
    if (!existsSync(file)) return { file, raw: null, gzip: null, brotli: null, served: null };
    const buf = readFileSync(file);
    return {
      file,
      raw: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      brotli: brotliCompressSync(buf, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length,
      served: existsSync(`${file}.gz`) ? readFileSync(`${file}.gz`).length : null,
    };
  });
}
