/** Sites, their keys and who may write or read them. */
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

/**
 * Creates a site with one public and one secret key. The secret key is returned once and only
 * its hash is stored.
 *
 * @example const { site, publicKey, secretKey } = await createSite(store, { name: 'Acme', allowedOrigins: ['https://acme.com'] });
 */
export async function createSite(
  db: Queryable,
  input: { name: string; allowedOrigins: string[]; botPolicy?: BotPolicy; siteId?: string },
): Promise<{ site: Site; publicKey: string; secretKey: string; publicKeyId: string }> {
  const siteId = input.siteId ?? `site_${randomId(12)}`;
  const pub = newPublicKey();
  const sec = newSecretKey();
  const { rows } = await db.query<SiteRow>(
    `insert into sites (site_id, name, allowed_origins, bot_policy) values ($1, $2, $3, $4)
     returning site_id, name, allowed_origins, bot_policy, settings`,
    [siteId, input.name, input.allowedOrigins, input.botPolicy ?? 'flag'],
  );
  await db.query(
    `insert into site_keys (site_id, key_id, kind, public_key) values ($1, $2, 'public', $3)`,
    [siteId, pub.keyId, pub.key],
  );
  await db.query(
    `insert into site_keys (site_id, key_id, kind, secret_hash) values ($1, $2, 'secret', $3)`,
    [siteId, sec.keyId, sec.hash],
  );
  return { site: toSite(rows[0]!), publicKey: pub.key, secretKey: sec.key, publicKeyId: pub.keyId };
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
