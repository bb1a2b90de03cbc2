/** Reads the environment once (DESIGN §2). */
import { join } from 'node:path';
import { LIMITS } from '../shared/wire.ts';
import type { Config } from './deps.ts';
import { DEFAULT_INGEST_LIMITS, parseLimit } from './http/rate-limit.ts';

export interface Environment {
  port: number;
  dataDir: string;
  databaseUrl?: string;
  config: Config;
}

/**
 * `PORT`, `TOUCHPOINT_DATA_DIR`, `DATABASE_URL`, `TOUCHPOINT_ADMIN_TOKEN`, `TOUCHPOINT_DEMO`,
 * `TOUCHPOINT_RATE_*`, `TOUCHPOINT_TRUST_PROXY`.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Environment {
  return {
    port: Number(env.PORT ?? 8787),
    dataDir: env.TOUCHPOINT_DATA_DIR ?? join(root, '.touchpoint'),
    databaseUrl: env.DATABASE_URL || undefined,
    config: {
      adminToken: env.TOUCHPOINT_ADMIN_TOKEN || undefined,
      distDir: env.TOUCHPOINT_DIST_DIR ?? join(root, 'dist'),
      demo: env.TOUCHPOINT_DEMO !== '0',
      bodyLimit: LIMITS.bodyBytes,
      rateLimits: {
        site: parseLimit(env.TOUCHPOINT_RATE_SITE, DEFAULT_INGEST_LIMITS.site),
        ip: parseLimit(env.TOUCHPOINT_RATE_IP, DEFAULT_INGEST_LIMITS.ip),
      },
      trustedProxies: proxyHops(env.TOUCHPOINT_TRUST_PROXY),
    },
  };
}

/**
 * `TOUCHPOINT_TRUST_PROXY`: how many proxies in front append to `X-Forwarded-For`; unset, `0`
 * or not a whole number: none (the header is ignored, a client could write anything in it).
 *
 * @example proxyHops('2') // 2: a load balancer behind the site's first-party path
 */
export function proxyHops(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
