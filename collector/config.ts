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

/** `PORT`, `TOUCHPOINT_DATA_DIR`, `DATABASE_URL`, `TOUCHPOINT_ADMIN_TOKEN`, `TOUCHPOINT_DEMO`. */
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
    },
  };
}
