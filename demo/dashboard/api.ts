/** The dashboard's only door to the collector: fetch with the secret key, problems as errors. */
import { messages } from './i18n.ts';

const t = messages({
  'The collector cannot be reached. Check your connection and retry.':
    'Không kết nối được tới collector. Hãy kiểm tra kết nối mạng rồi thử lại.',
});

/** Where the secret key lives for this browser tab (DESIGN §6). */
export const KEY_STORAGE = 'touchpoint.key';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function storeKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** A failed call: the HTTP status, the problem's readable text, its field errors and type. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
    /** The problem's `type` URI (`…/problems/lead-not-found`); empty when the answer had none. */
    readonly type = '',
  ) {
    super(message);
  }
}

/** Called when the key is refused, so the app can return to the sign-in form. */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

/**
 * GETs (or sends) JSON with `Authorization: Bearer <key>`.
 *
 * @example const page = await api<LeadPage>('/v1/leads?limit=25');
 */
export async function api<T>(path: string, init: RequestInit = {}, key = storedKey()): Promise<T> {
  const res = await send(path, init, key);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/**
 * Like {@link api}, with the answer's `ETag`: what a later `If-Match` sends, so a save made from
 * stale data is refused (412) instead of overwriting someone else's.
 *
 * @example const { data, etag } = await apiTagged<Rules>('/v1/scoring');
 */
export async function apiTagged<T>(
  path: string,
  init: RequestInit = {},
  key = storedKey(),
): Promise<{ data: T; etag: string | null }> {
  const res = await send(path, init, key);
  return { data: (await res.json()) as T, etag: res.headers.get('etag') };
}

/**
 * GETs a file (a CSV export) with the key, as a Blob: a plain link could not send the header.
 *
 * @example const csv = await apiBlob('/v1/leads/export.csv?stage=mql');
 */
export async function apiBlob(path: string, key = storedKey()): Promise<Blob> {
  return (await send(path, {}, key)).blob();
}

/** The one `fetch`: adds the key, turns a refused key into sign-out and a problem into an ApiError. */
async function send(path: string, init: RequestInit, key: string | null): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  if (init.body) headers.set('content-type', 'application/json');
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, t('The collector cannot be reached. Check your connection and retry.'));
  }
  if (res.status === 401) onUnauthorized();
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as {
      type?: string;
      title?: string;
      detail?: string;
      errors?: { path: string; message: string }[];
    };
    throw new ApiError(
      res.status,
      problem.detail ?? problem.title ?? `HTTP ${res.status}`,
      problem.errors ?? [],
      problem.type ?? '',
    );
  }
  return res;
}

/** A query string from the set values of `params` (empty ones are left out). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
