/** Site keys: public `pk_…` (write-only, origin-bound) and secret `sk_…` (stored only hashed). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random id of `n` characters from [a-z0-9] (rejection sampling keeps it unbiased). */
export function randomId(n = 16): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 252 && out.length < n) out += ALPHABET[b % 36];
    }
  }
  return out;
}

/** SHA-256 of a secret key. The key has about 165 random bits, so a fast hash is the right one. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/**
 * A new secret key: `sk_<keyId>_<secret>`. The key id finds the row; the whole key is compared
 * with the stored hash in constant time.
 */
export function newSecretKey(): { keyId: string; key: string; hash: Buffer } {
  const keyId = randomId(12);
  const key = `sk_${keyId}_${randomId(32)}`;
  return { keyId, key, hash: hashSecret(key) };
}

/** A new public key, `pk_…`. */
export function newPublicKey(): { keyId: string; key: string } {
  const keyId = randomId(12);
  return { keyId, key: `pk_${randomId(20)}` };
}

/** The key id inside a well-formed secret key, or null. */
export function secretKeyId(key: string): string | null {
  const m = /^sk_([a-z0-9]{12})_[a-z0-9]{32}$/.exec(key);
  return m ? m[1]! : null;
}

/** Constant-time equality of a presented key and a stored hash. */
export function secretMatches(key: string, hash: Uint8Array): boolean {
  const h = hashSecret(key);
  return h.length === hash.length && timingSafeEqual(h, hash);
}
