/** Reads the environment once (DESIGN §2), and refuses values it cannot use. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '../shared/wire.ts';
import type { Config } from './deps.ts';
import { DEFAULT_INGEST_LIMITS, parseLimit } from './http/rate-limit.ts';

export interface Environment {
  port: number;
  dataDir: string;
  databaseUrl?: string;
  config: Config;
  /** Things worth a warning line at start-up (unknown `TOUCHPOINT_*` names). */
  warnings: string[];
}

/**
 * A variable the collector cannot use. Its message is one line naming every bad variable, for
 * the operator; the server prints it and exits 2 instead of starting with a guess.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Every variable the collector reads (the README's configuration table lists the same).
 * `TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE` is read by `webhooks/destination.ts`; it is checked here.
 */
export const KNOWN_VARIABLES = [
  'PORT',
  'TOUCHPOINT_DATA_DIR',
  'DATABASE_URL',
  'TOUCHPOINT_ADMIN_TOKEN',
  'TOUCHPOINT_DEMO',
  'TOUCHPOINT_TRUST_PROXY',
  'TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE',
  'TOUCHPOINT_RATE_IP',
  'TOUCHPOINT_RATE_SITE',
  'TOUCHPOINT_DIST_DIR',
] as const;

/** `TOUCHPOINT_*` names the tooling sets for itself (benchmarks), never read by the collector. */
const TOOLING = /^TOUCHPOINT_BENCH_/;

/**
 * `PORT`, `TOUCHPOINT_DATA_DIR`, `DATABASE_URL`, `TOUCHPOINT_ADMIN_TOKEN`, `TOUCHPOINT_DEMO`,
 * `TOUCHPOINT_RATE_*`, `TOUCHPOINT_TRUST_PROXY`, `TOUCHPOINT_DIST_DIR`. Throws a
 * {@link ConfigError} naming every value it cannot use (`PORT=abc`, a `DATABASE_URL` that is not
 * a `postgres://` URL, `TOUCHPOINT_DEMO=off`…): a typo must not start a collector on a default.
 *
 * @example const { port, config } = readEnv(); // PORT=abc → ConfigError: PORT="abc": …
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): Environment {
  const errors: string[] = [];
  const bad = (name: string, why: string) =>
    errors.push(`${name}=${JSON.stringify(env[name])}: ${why}`);
  const set = (name: string) => env[name] !== undefined && env[name] !== '';

  const port = set('PORT') ? Number(env.PORT) : 8787;
  if (set('PORT') && (!/^\d+$/.test(env.PORT!.trim()) || port > 65_535))
    bad('PORT', 'not a port number (0 to 65535; 0 picks a free one)');

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !postgresUrl(databaseUrl))
    errors.push(
      `DATABASE_URL: not a PostgreSQL URL (expected postgres://user:password@host:5432/database, got ${redact(databaseUrl)})`,
    );

  const flag = (name: string, fallback: boolean): boolean => {
    const v = env[name]?.trim().toLowerCase();
    if (!v) return fallback;
    if (v === '1' || v === 'true') return true;
    if (v === '0' || v === 'false') return false;
    bad(name, 'expected 1 or 0');
    return fallback;
  };
  const demo = flag('TOUCHPOINT_DEMO', true);
  flag('TOUCHPOINT_WEBHOOKS_ALLOW_PRIVATE', false);

  if (set('TOUCHPOINT_TRUST_PROXY') && !/^\d+$/.test(env.TOUCHPOINT_TRUST_PROXY!.trim()))
    bad('TOUCHPOINT_TRUST_PROXY', 'expected the number of proxies in front (0, 1, 2…)');
  for (const name of ['TOUCHPOINT_RATE_SITE', 'TOUCHPOINT_RATE_IP'])
    if (set(name) && !/^\d+(\.\d+)?(:\d+)?$/.test(env[name]!.trim()))
      bad(name, 'expected requests per second, optionally :burst (e.g. 20:100; 0 turns it off)');
  for (const name of ['TOUCHPOINT_DATA_DIR', 'TOUCHPOINT_DIST_DIR'])
    if (env[name] !== undefined && env[name]!.trim() === '') bad(name, 'empty folder name');
  // A dist folder without the tag would answer 404 for every site's /tp.js.
  if (set('TOUCHPOINT_DIST_DIR') && !existsSync(join(env.TOUCHPOINT_DIST_DIR!, 'tp.js')))
    bad('TOUCHPOINT_DIST_DIR', 'no tp.js in it (the folder `npm run build` writes)');

  if (errors.length > 0) throw new ConfigError(errors.join('; '));

  const known = new Set<string>(KNOWN_VARIABLES);
  const warnings = Object.keys(env)
    .filter((k) => k.startsWith('TOUCHPOINT_') && !known.has(k) && !TOOLING.test(k))
    .map(
      (k) => `${k} is not a Touchpoint setting and is ignored (known: ${[...known].join(', ')})`,
    );

  return {
    port,
    dataDir: env.TOUCHPOINT_DATA_DIR || join(root, '.touchpoint'),
    databaseUrl,
    warnings,
    config: {
      adminToken: env.TOUCHPOINT_ADMIN_TOKEN || undefined,
      distDir: env.TOUCHPOINT_DIST_DIR || join(root, 'dist'),
      demo,
      bodyLimit: LIMITS.bodyBytes,
      rateLimits: {
        site: parseLimit(env.TOUCHPOINT_RATE_SITE?.trim(), DEFAULT_INGEST_LIMITS.site),
        ip: parseLimit(env.TOUCHPOINT_RATE_IP?.trim(), DEFAULT_INGEST_LIMITS.ip),
      },
      trustedProxies: proxyHops(env.TOUCHPOINT_TRUST_PROXY?.trim()),
    },
  };
}

/** What node-postgres can connect with: a `postgres:`/`postgresql:` URL with a host, or a socket. */
function postgresUrl(value: string): boolean {
  try {
    const u = new URL(value);
    if (u.protocol === 'socket:') return true;
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * A connection string fit for a log line: the password replaced by `***`.
 *
 * @example redact('postgres://app:s3cret@db/tp') // 'postgres://app:***@db/tp'
 */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // A URL with no authority (`u:secret@host/db` parses with the scheme `u:`) keeps whatever
    // looks like `user:password@` in its text: masked too.
    return u.toString().replace(/:[^:@/]*@/g, ':***@');
  } catch {
    // Not a URL: it may still hold a password somewhere; show none of it.
    return '(not a URL)';
  }
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
