/** Key rotation and revocation: issue a new public or secret key for a site, revoke one by id. */
import type { Queryable } from '../store/index.ts';
import { newPublicKey, newSecretKey } from './keys.ts';

export type KeyKind = 'public' | 'secret';

/** A key as the admin API lists it: never the secret itself. */
export interface KeyInfo {
  keyId: string;
  kind: KeyKind;
  /** The public key (`pk_…`); secret keys are stored only hashed. */
  publicKey: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/**
 * Issues a new key for `siteId` next to the existing ones (rotate: issue, deploy, then revoke the
 * old one). Returns the key once; for a secret key only its hash is stored. Null when the site
 * does not exist.
 *
 * @example const { keyId, key } = (await issueKey(store, 'site_1', 'secret'))!;
 */
export async function issueKey(
  db: Queryable,
  siteId: string,
  kind: KeyKind,
): Promise<{ keyId: string; kind: KeyKind; key: string } | null> {
  const exists = await db.query('select 1 from sites where site_id = $1', [siteId]);
  if (exists.rows.length === 0) return null;
  if (kind === 'public') {
    const pub = newPublicKey();
    await db.query(
      `insert into site_keys (site_id, key_id, kind, public_key) values ($1, $2, 'public', $3)`,
      [siteId, pub.keyId, pub.key],
    );
    return { keyId: pub.keyId, kind, key: pub.key };
  }
  const sec = newSecretKey();
  await db.query(
    `insert into site_keys (site_id, key_id, kind, secret_hash) values ($1, $2, 'secret', $3)`,
    [siteId, sec.keyId, sec.hash],
  );
  return { keyId: sec.keyId, kind, key: sec.key };
}

/**
 * Revokes one key of a site (idempotent: revoking twice keeps the first time). False when the
 * site has no such key. A revoked secret key fails at once; a revoked public key stops being
 * accepted when each replica's site cache entry expires (5 s).
 */
export async function revokeKey(db: Queryable, siteId: string, keyId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `update site_keys set revoked_at = coalesce(revoked_at, now())
      where site_id = $1 and key_id = $2`,
    [siteId, keyId],
  );
  return rowCount > 0;
}

/** Every key of a site, newest first, without secrets. */
export async function listKeys(db: Queryable, siteId: string): Promise<KeyInfo[]> {
  const { rows } = await db.query<{
    key_id: string;
    kind: KeyKind;
    public_key: string | null;
    created_at: Date;
    revoked_at: Date | null;
  }>(
    `select key_id, kind, public_key, created_at, revoked_at from site_keys
      where site_id = $1 order by created_at desc, key_id`,
    [siteId],
  );
  return rows.map((r) => ({
    keyId: r.key_id,
    kind: r.kind,
    publicKey: r.public_key,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}
