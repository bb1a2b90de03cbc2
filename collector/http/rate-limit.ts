/**
 * Rate limits: in-process token buckets keyed by anything (site id, client IP hash), with a
 * bounded number of keys (least recently used evicted).
 *
 * Each replica limits independently: behind N replicas a client gets up to N× the budget
 * (a load balancer with sticky or hashed routing per client IP keeps the per-IP limit exact;
 * divide the per-site budget by N, or move the buckets to a shared store such as Redis when an
 * exact global limit matters). Restarting a replica refills its buckets.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HttpProblem } from './problem.ts';

/** One limit: a bucket of `burst` tokens refilled at `perSecond`. */
export interface RateLimit {
  /** Sustained requests per second per key; 0 turns the limit off. */
  perSecond: number;
  /** Requests a key may send at once after being idle. */
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets for many keys in bounded memory: at most `maxKeys` buckets are kept, the least
 * recently used one is dropped first (a dropped key starts again with a full bucket, so eviction
 * can only be generous, never wrongly refuse).
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 10, burst: 20 });
 * const wait = limiter.take('site_1'); // 0 when allowed, else seconds to wait
 */
export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    readonly maxKeys = 50_000,
  ) {}

  /** Takes `cost` tokens for `key`: 0 when allowed, else the whole seconds until it would be. */
  take(key: string, cost = 1): number {
    const { perSecond, burst } = this.limit;
    if (perSecond <= 0) return 0;
    const t = this.now();
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: Map order is the LRU order
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * perSecond);
      b.at = t;
    } else {
      b = { tokens: burst, at: t };
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, b);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return 0;
    }
    return Math.max(1, Math.ceil((cost - b.tokens) / perSecond));
  }

  /** Keys currently tracked (bounded by `maxKeys`). */
  get size(): number {
    return this.buckets.size;
  }
}

/**
 * Takes a token or throws `429` problem+json with `Retry-After`.
 *
 * @example limitOrThrow(limiters.site, site.id, 'this site');
 */
export function limitOrThrow(limiter: RateLimiter, key: string, what: string): void {
  const wait = limiter.take(key);
  if (wait > 0) {
    throw new HttpProblem(
      429,
      'rate-limited',
      `Too many requests from ${what}; retry in ${wait} s`,
      undefined,
      { 'Retry-After': String(wait) },
    );
  }
}

// A per-process salt: buckets are keyed by a hash, so not even memory holds raw client IPs.
const processSalt = randomBytes(16);

/** The rate-limit key of a client IP (a salted hash, never the address itself). */
export function ipKey(ip: string): string {
  return createHash('sha256').update(processSalt).update(ip).digest('base64url').slice(0, 22);
}

/** Limits of the ingest endpoint; `TOUCHPOINT_RATE_*` override them (see README). */
export interface IngestLimits {
  /** Per site (whole site, all its visitors). */
  site: RateLimit;
  /** Per client IP, across sites. */
  ip: RateLimit;
}

/** Defaults: generous for real traffic (a tag sends about a batch per page), tight for a flood. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  site: { perSecond: 1_000, burst: 2_000 },
  ip: { perSecond: 20, burst: 100 },
};

/** Defaults for public form submissions: a person submits a form a few times a minute at most. */
export const DEFAULT_FORM_LIMITS: IngestLimits = {
  site: { perSecond: 50, burst: 200 },
  ip: { perSecond: 0.2, burst: 10 },
};

/** `perSecond:burst` from an env variable, `0` turns the limit off. */
export function parseLimit(value: string | undefined, fallback: RateLimit): RateLimit {
  if (!value) return fallback;
  const [rate, burst] = value.split(':').map(Number);
  if (!Number.isFinite(rate) || rate! < 0) return fallback;
  return { perSecond: rate!, burst: Number.isFinite(burst) && burst! > 0 ? burst! : rate! * 2 };
}
