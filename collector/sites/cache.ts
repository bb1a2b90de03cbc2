/** A short-lived cache of public key → site: ingest reads it on every request. */
import type { Queryable } from '../store/index.ts';
import { type Site, siteByPublicKey } from './index.ts';

/**
 * Caches lookups (misses too) for `ttlMs`. Each replica keeps its own; a changed allow-list or a
 * revoked key takes effect everywhere within the TTL.
 */
export class SiteCache {
  private entries = new Map<string, { site: Site | null; until: number }>();

  constructor(
    private readonly db: Queryable,
    private readonly now: () => number,
    private readonly ttlMs = 5_000,
  ) {}

  async byPublicKey(key: string): Promise<Site | null> {
    const hit = this.entries.get(key);
    const t = this.now();
    if (hit && hit.until > t) return hit.site;
    const site = await siteByPublicKey(this.db, key);
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(key, { site, until: t + this.ttlMs });
    return site;
  }

  clear(): void {
    this.entries.clear();
  }
}
