/** The demo site on replicas of one database, each on its own port. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { DEMO_SITE_ID, ensureDemoSite } from '../../collector/demo.ts';
import { siteById } from '../../collector/sites/index.ts';
import { migrate, openPGlite } from '../../collector/store/index.ts';

it('lets the demo of every replica write: each start adds its origins instead of replacing them', async () => {
  const store = await openPGlite();
  try {
    await migrate(store);
    const dir = mkdtempSync(join(tmpdir(), 'tp-demo-'));
    const first = await ensureDemoSite(store, dir, 8945);
    // Was: the second replica's start left only its own port allowed (403 on the first one's).
    expect(await ensureDemoSite(store, dir, 8946)).toEqual(first);
    await ensureDemoSite(store, dir, 8946);
    const site = await siteById(store, DEMO_SITE_ID);
    expect([...site!.allowedOrigins].sort()).toEqual([
      'http://127.0.0.1:8945',
      'http://127.0.0.1:8946',
      'http://localhost:8945',
      'http://localhost:8946',
    ]);
  } finally {
    await store.close();
  }
});
