/** A per-process read cache with a time to live, for lookups the hot path makes on every request. */

/**
 * Values by key for `ttlMs` after they were loaded. Each replica keeps its own, so a change made
 * elsewhere shows within the TTL; `delete` forgets a key this process changed. At most
 * `maxEntries`: past that it starts over rather than tracking recency on the hot path.
 *
 * @example const site = await cache.get(key, () => siteByPublicKey(db, key));
 */
export class TtlCache<V> {
  private entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** The cached value of `key`, or what `load` answers (cached, misses included). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > t) return hit.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, until: t + this.ttlMs });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
