/**
 * Daily random salts for IP hashing, one per site and UTC day, kept in the database so every
 * replica hashes an address the same way that day. Past days' salts are deleted by the
 * retention job: from then on a stored hash cannot be recomputed from an address.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../store/index.ts';

/**
 * Hash of a client IP with a salt: never the address, not reversible without the salt.
 *
 * @example hashIpWithSalt('203.0.113.9', salt) // 'Qm9vb…' (16 chars)
 */
export function hashIpWithSalt(ip: string, salt: Uint8Array): string {
  return createHash('sha256').update(salt).update(ip).digest('base64url').slice(0, 16);
}

/**
 * The salt of (site, day), created on first use; cached in memory (bounded).
 *
 * @example const salt = await salts.get(store, site.id, new Date());
 */
export class IpSalts {
  private cache = new Map<string, Uint8Array>();

  async get(db: Queryable, siteId: string, now: Date): Promise<Uint8Array> {
    const day = now.toISOString().slice(0, 10);
    const key = `${siteId}|${day}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    // Two replicas may race to create it: the first insert wins, both read the winner.
    await db.query(
      'insert into ip_salts (site_id, day, salt) values ($1, $2::date, $3) on conflict do nothing',
      [siteId, day, randomBytes(16)],
    );
    const { rows } = await db.query<{ salt: Uint8Array }>(
      'select salt from ip_salts where site_id = $1 and day = $2::date',
      [siteId, day],
    );
    const salt = new Uint8Array(rows[0]!.salt);
    if (this.cache.size >= 10_000) this.cache.clear();
    this.cache.set(key, salt);
    return salt;
  }
}
