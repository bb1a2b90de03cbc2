/** Request bodies of the Segment-compatible API: size-capped, optionally gzip/deflate-compressed. */
import { gunzipSync, inflateSync } from 'node:zlib';
import type { Context } from 'hono';
import { storableJson } from '../../shared/json-storable.ts';
import { HttpProblem } from '../http/problem.ts';

/** Compressed (wire) bytes of one request: Segment's own batch limit. */
export const SEGMENT_WIRE_BYTES = 512 * 1024;
/** Bytes after decompression: a small gzip bomb cannot grow past this. */
export const SEGMENT_JSON_BYTES = 2 * 1024 * 1024;

const tooLarge = (what: string) =>
  new HttpProblem(413, 'too-large', `${what} is limited to the Segment API's batch size`);

/** Reads the body as bytes, refusing more than `max` while reading (no Content-Length trust). */
async function readCapped(c: Context, max: number): Promise<Buffer> {
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge('The request body');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The request's JSON value: `Content-Encoding: gzip` (or `deflate`) is decompressed with an
 * output cap before parsing; other encodings get 415. Lone surrogates become U+FFFD, their
 * paths pushed to `repaired` (`batch.0.properties.q`).
 *
 * @example const raw = await readSegmentJson(c, repaired);
 */
export async function readSegmentJson(c: Context, repaired: string[]): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (type && !/^(application\/(json|[\w.+-]*\+json)|text\/plain)\b/i.test(type)) {
    throw new HttpProblem(415, 'unsupported-media-type', 'Send application/json');
  }
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  let bytes = await readCapped(c, SEGMENT_WIRE_BYTES);
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    try {
      const inflate = encoding === 'deflate' ? inflateSync : gunzipSync;
      bytes = inflate(bytes, { maxOutputLength: SEGMENT_JSON_BYTES });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge('The decompressed body');
      }
      throw new HttpProblem(400, 'malformed-body', `The body is not valid ${encoding} data`, [
        { path: '', message: `not valid ${encoding} data` },
      ]);
    }
  } else if (encoding !== 'identity') {
    throw new HttpProblem(
      415,
      'unsupported-encoding',
      'Content-Encoding must be gzip, deflate or identity',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'malformed-json', 'The body is not valid JSON', [
      { path: '', message: 'not valid JSON' },
    ]);
  }
  return storableJson(raw, '', repaired);
}
