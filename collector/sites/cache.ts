/** A short-lived cache of public key → site: ingest reads it on every request. */
import type { Queryable } from '../store/index.ts';
import { TtlCache } from '../store/ttl-cache.ts';
import { type Site, siteByPublicKey } from './index.ts';

/**
 * Caches lookups (misses too) for `ttlMs`. Each replica keeps its own; a changed allow-list or a
 * revoked key takes effect everywhere within the TTL.
 */
export class SiteCache {
  private readonly cache: TtlCache<Site | null>;

  constructor(
    private readonly db: Queryable,
    now: () => number,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache(now, ttlMs);
  }

  byPublicKey(key: string): Promise<Site | null> {
    return this.cache.get(key, () => siteByPublicKey(this.db, key));
  }

  clear(): void {
    this.cache.clear();
  }
}
