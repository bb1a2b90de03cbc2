/** Sites, their keys and who may write or read them. */
import type { PatchSiteInput } from '../../shared/schemas.ts';
import type { Queryable } from '../store/index.ts';
import { newPublicKey, newSecretKey, randomId, secretKeyId, secretMatches } from './keys.ts';

export { randomId } from './keys.ts';
export { originAllowed } from './origins.ts';

export type BotPolicy = 'flag' | 'drop' | 'allow';

/** A site as the collector uses it on every request. */
export interface Site {
  id: string;
  name: string;
  allowedOrigins: string[];
  botPolicy: BotPolicy;
  settings: Record<string, unknown>;
}

interface SiteRow {
  site_id: string;
  name: string;
  allowed_origins: string[];
  bot_policy: BotPolicy;
  settings: Record<string, unknown>;
}

const toSite = (r: SiteRow): Site => ({
  id: r.site_id,
  name: r.name,
  allowedOrigins: r.allowed_origins,
  botPolicy: r.bot_policy,
  settings: r.settings,
});

/** A site as the admin API shows it: with when it was created. */
export interface SiteRecord extends Site {
  createdAt: Date;
}

const RECORD_COLUMNS = 'site_id, name, allowed_origins, bot_policy, settings, created_at';

const toRecord = (r: SiteRow & { created_at: Date }): SiteRecord => ({
  ...toSite(r),
  createdAt: r.created_at,
});

/**
 * Creates a site with one public and one secret key. The secret key is returned once and only
 * its hash is stored.
 *
 * @example const { site, publicKey, secretKey } = await createSite(store, { name: 'Acme', allowedOrigins: ['https://acme.com'] });
 */
export async function createSite(
  db: Queryable,
  input: {
    name: string;
    allowedOrigins: string[];
    botPolicy?: BotPolicy;
    settings?: Record<string, unknown>;
    siteId?: string;
  },
): Promise<{ site: SiteRecord; publicKey: string; secretKey: string; publicKeyId: string }> {
  const siteId = input.siteId ?? `site_${randomId(12)}`;
  const pub = newPublicKey();
  const sec = newSecretKey();
  const { rows } = await db.query<SiteRow & { created_at: Date }>(
    `insert into sites (site_id, name, allowed_origins, bot_policy, settings)
     values ($1, $2, $3, $4, $5::jsonb) returning ${RECORD_COLUMNS}`,
    [
      siteId,
      input.name,
      input.allowedOrigins,
      input.botPolicy ?? 'flag',
      JSON.stringify(input.settings ?? {}),
    ],
  );
  await db.query(
    `insert into site_keys (site_id, key_id, kind, public_key) values ($1, $2, 'public', $3)`,
    [siteId, pub.keyId, pub.key],
  );
  await db.query(
    `insert into site_keys (site_id, key_id, kind, secret_hash) values ($1, $2, 'secret', $3)`,
    [siteId, sec.keyId, sec.hash],
  );
  return {
    site: toRecord(rows[0]!),
    publicKey: pub.key,
    secretKey: sec.key,
    publicKeyId: pub.keyId,
  };
}

/** The site a public key writes to, or null. */
export async function siteByPublicKey(db: Queryable, publicKey: string): Promise<Site | null> {
  const { rows } = await db.query<SiteRow>(
    `select s.site_id, s.name, s.allowed_origins, s.bot_policy, s.settings
       from site_keys k join sites s using (site_id)
      where k.kind = 'public' and k.public_key = $1 and k.revoked_at is null`,
    [publicKey],
  );
  return rows[0] ? toSite(rows[0]) : null;
}

/** The site a secret key reads and writes, or null for a malformed, unknown or revoked key. */
export async function siteBySecretKey(db: Queryable, key: string): Promise<Site | null> {
  const keyId = secretKeyId(key);
  if (!keyId) return null;
  const { rows } = await db.query<SiteRow & { secret_hash: Uint8Array }>(
    `select s.site_id, s.name, s.allowed_origins, s.bot_policy, s.settings, k.secret_hash
       from site_keys k join sites s using (site_id)
      where k.kind = 'secret' and k.key_id = $1 and k.revoked_at is null`,
    [keyId],
  );
  const row = rows[0];
  if (!row || !secretMatches(key, row.secret_hash)) return null;
  return toSite(row);
}

/** A site by id. */
export async function siteById(db: Queryable, siteId: string): Promise<Site | null> {
  const { rows } = await db.query<SiteRow>(
    'select site_id, name, allowed_origins, bot_policy, settings from sites where site_id = $1',
    [siteId],
  );
  return rows[0] ? toSite(rows[0]) : null;
}

/** A site with its creation time, for the admin API; null when there is none with this id. */
export async function siteRecord(db: Queryable, siteId: string): Promise<SiteRecord | null> {
  const { rows } = await db.query<SiteRow & { created_at: Date }>(
    `select ${RECORD_COLUMNS} from sites where site_id = $1`,
    [siteId],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}

/**
 * One page of sites, newest first, after the `[createdAt as PostgreSQL prints it, siteId]` of
 * the previous page's last site; `next` is that pair for this page's last site, when there is a
 * page after it.
 *
 * @example const { sites, next } = await listSites(store, 50);
 */
export async function listSites(
  db: Queryable,
  limit: number,
  after?: [createdAt: string, siteId: string],
): Promise<{ sites: SiteRecord[]; next: [string, string] | null }> {
  const { rows } = await db.query<SiteRow & { created_at: Date; k: string }>(
    `select ${RECORD_COLUMNS}, created_at::text as k from sites
      ${after ? 'where (created_at, site_id) < ($2::timestamptz, $3)' : ''}
      order by created_at desc, site_id desc limit $1`,
    [limit + 1, ...(after ?? [])],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    sites: page.map(toRecord),
    next: rows.length > limit && last ? [last.k, last.site_id] : null,
  };
}

/**
 * Changes a site: each field of `patch` replaces the site's, and `settings` is merged into the
 * stored ones (a key set to `null` is removed). In one statement, so two patches of different
 * settings both land. Null when the site does not exist. Replicas see the change when their
 * site cache entry expires: the caller clears its own.
 *
 * @example await updateSite(store, 'site_1', { allowedOrigins: ['https://shop.example.com'] });
 */
export async function updateSite(
  db: Queryable,
  siteId: string,
  patch: PatchSiteInput,
): Promise<SiteRecord | null> {
  const settings = Object.entries(patch.settings ?? {});
  const removed = settings.filter(([, v]) => v === null).map(([k]) => k);
  const set = Object.fromEntries(settings.filter(([, v]) => v !== null && v !== undefined));
  const { rows } = await db.query<SiteRow & { created_at: Date }>(
    `update sites set name = coalesce($2, name),
            allowed_origins = coalesce($3::text[], allowed_origins),
            bot_policy = coalesce($4, bot_policy),
            settings = (settings - $5::text[]) || $6::jsonb
      where site_id = $1 returning ${RECORD_COLUMNS}`,
    [
      siteId,
      patch.name ?? null,
      patch.allowedOrigins ?? null,
      patch.botPolicy ?? null,
      removed,
      JSON.stringify(set),
    ],
  );
  return rows[0] ? toRecord(rows[0]) : null;
}
