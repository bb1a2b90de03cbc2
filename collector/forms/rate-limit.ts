/**
 * In-process token buckets for the public submission endpoint. Each replica limits on its own, so
 * N replicas allow up to N times the rate: fine for spam control (the goal is to make floods
 * expensive, not to meter exactly); a shared limiter would need a round trip per request.
 */

/** A bucket of `capacity` tokens refilled at `perSecond`; one token per request. */
interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Many named buckets with the same shape. `take` answers 0 when a token was taken, else the
 * seconds until one is available (the `Retry-After`).
 *
 * @example const ip = new RateLimiter(10, 10 / 60, now); if (ip.take(key) > 0) throw 429;
 */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    private readonly now: () => number,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: string): number {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      // Bounded memory under a flood of distinct keys: forget everyone (they start full again).
      if (this.buckets.size >= this.maxKeys) this.buckets.clear();
      b = { tokens: this.capacity, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.capacity, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond));
  }
}

/** Default limits: per IP 10 at once then 1 every 6 s; per site 300 at once then 5 per second. */
export const SUBMISSION_LIMITS = {
  ip: { capacity: 10, perSecond: 1 / 6 },
  site: { capacity: 300, perSecond: 5 },
} as const;
