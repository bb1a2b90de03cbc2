/** The demo site that `npm start` seeds (unless `TOUCHPOINT_DEMO=0`), with keys it can print. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDemoForms } from './forms/demo.ts';
import { createSite, siteById } from './sites/index.ts';
import { newSecretKey } from './sites/keys.ts';
import type { Store } from './store/index.ts';

export const DEMO_SITE_ID = 'site_demo';

/**
 * Ensures the demo site exists and returns its keys. The secret key is only stored hashed, so
 * this process keeps a copy in `dataDir/demo-keys.json` (mode 600) to print it on every start;
 * when that file is missing, a fresh secret key is issued.
 */
export async function ensureDemoSite(
  store: Store,
  dataDir: string,
  port: number,
): Promise<{ publicKey: string; secretKey: string }> {
  const file = join(dataDir, 'demo-keys.json');
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  const existing = await siteById(store, DEMO_SITE_ID);
  if (existing && existsSync(file)) {
    // Added, not replaced: replicas of one database may serve the demo on different ports.
    await store.query(
      `update sites set allowed_origins = array(select distinct unnest(allowed_origins || $2::text[]))
        where site_id = $1`,
      [DEMO_SITE_ID, origins],
    );
    await seedDemoForms(store, DEMO_SITE_ID, new Date());
    return JSON.parse(readFileSync(file, 'utf8'));
  }
  let keys: { publicKey: string; secretKey: string };
  if (!existing) {
    const created = await store.transaction((tx) =>
      createSite(tx, {
        siteId: DEMO_SITE_ID,
        name: 'Demo (Acme Analytics)',
        allowedOrigins: origins,
      }),
    );
    keys = { publicKey: created.publicKey, secretKey: created.secretKey };
  } else {
    const sec = newSecretKey();
    await store.query(
      `insert into site_keys (site_id, key_id, kind, secret_hash) values ($1, $2, 'secret', $3)`,
      [DEMO_SITE_ID, sec.keyId, sec.hash],
    );
    const { rows } = await store.query<{ public_key: string }>(
      `select public_key from site_keys where site_id = $1 and kind = 'public' and revoked_at is null limit 1`,
      [DEMO_SITE_ID],
    );
    keys = { publicKey: rows[0]!.public_key, secretKey: sec.key };
  }
  await seedDemoForms(store, DEMO_SITE_ID, new Date());
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}
