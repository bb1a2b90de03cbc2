/** Webhook signatures (DESIGN §9): `Touchpoint-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new endpoint signing secret: 192 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/**
 * The signature header of `body` sent at `t` (unix seconds): HMAC-SHA256 with the endpoint's
 * secret over `<t>.<raw body>`, hex.
 *
 * @example signatureHeader('whsec_…', '{"id":"evt_1"}', 1732400000) // 't=1732400000,v1=5f…'
 */
export function signatureHeader(secret: string, body: string, t: number): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Verifies a signature header as a receiver should: same HMAC, constant-time compare, and a
 * timestamp within `toleranceS` of `nowS` (replay protection).
 *
 * @example verifySignature(secret, rawBody, req.headers['touchpoint-signature'], Date.now() / 1000)
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  nowS: number,
  toleranceS = 300,
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(nowS - t) > toleranceS) return false;
  const expected = Buffer.from(signatureHeader(secret, body, t).slice(-64), 'hex');
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}
