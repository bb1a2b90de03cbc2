/**
 * One delivery attempt: refuse a private destination, POST the signed body, and describe the
 * outcome as the deliveries list shows it (`lastStatus`, `lastError`). Never throws.
 */
import { destinationProblem } from './destination.ts';
import { signatureHeader } from './sign.ts';

export interface AttemptOutcome {
  /** The receiver's HTTP status, or null when none came (refused, network error, timeout). */
  status: number | null;
  /** Null on 2xx; otherwise why the attempt failed. */
  error: string | null;
}

/** Why a request failed, with undici's cause (`fetch failed` alone says nothing). */
function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `no answer within ${timeoutMs / 1000} s`;
  const cause = e?.cause;
  const detail = cause ? [cause.code, cause.message].filter(Boolean).join(': ') : '';
  const message = String(e?.message ?? err);
  return (detail && detail !== message ? `${message} (${detail})` : message).slice(0, 300);
}

/** Rejects when `signal` aborts, so a hung DNS lookup counts against the same timeout. */
const aborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/**
 * POSTs `body` to `url` signed with `secret` at `now`. The whole attempt (DNS check included)
 * ends within `timeoutMs`; redirects are not followed (a 3xx is a failed attempt), and the
 * answer's body is never read, so a receiver answering 10 MB costs nothing.
 *
 * @example const { status, error } = await attemptDelivery(fetch, url, secret, body, new Date(), 10_000);
 */
export async function attemptDelivery(
  send: typeof fetch,
  url: string,
  secret: string,
  body: string,
  now: Date,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  const abort = aborted(signal);
  abort.catch(() => {}); // only raced below; never an unhandled rejection
  try {
    const refused = await Promise.race([destinationProblem(url), abort]);
    if (refused) return { status: null, error: refused };
    const res = await Promise.race([
      send(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Touchpoint-Webhooks/1',
          'touchpoint-signature': signatureHeader(secret, body, Math.floor(now.getTime() / 1000)),
        },
        body,
        redirect: 'manual',
        signal,
      }),
      abort,
    ]);
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { status: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (err) {
    return { status: null, error: describe(err, timeoutMs) };
  }
}
