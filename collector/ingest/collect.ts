/** `POST /v1/collect`: the tag's endpoint (DESIGN §4). */
import { Hono } from 'hono';
import { pathsUnder } from '../../shared/json-storable.ts';
import { collectBatchSchema } from '../../shared/schemas.ts';
import type { Deps, Env } from '../deps.ts';
import { overlayForms } from '../forms/popups.ts';
import { DEFAULT_INGEST_LIMITS } from '../http/rate-limit.ts';
import type { SiteCache } from '../sites/cache.ts';
import { ingest, toNewEvents } from './accept.ts';
import { ingestCounter } from './counters.ts';
import { publicPreflight, publicWriteGate } from './public-write.ts';

export {
  isPublicWrite,
  publicCors,
  publicPreflight,
  publicWriteGate,
  requestOrigin,
} from './public-write.ts';

export function collectRoutes(
  deps: Deps,
  sites: SiteCache,
  clientIp: (c: unknown) => string | undefined,
) {
  const app = new Hono<Env>();
  const admit = publicWriteGate(
    deps,
    sites,
    clientIp,
    deps.config.rateLimits ?? DEFAULT_INGEST_LIMITS,
  );

  app.options('/v1/collect', publicPreflight);

  app.post('/v1/collect', async (c) => {
    const {
      body: batch,
      site,
      receivedAt,
      userAgent,
      ipHash,
      repaired,
    } = await admit(c, collectBatchSchema);
    const wire = repaired.length
      ? batch.events.map((e, i) => ({ ...e, repaired: pathsUnder(repaired, `events.${i}.`) }))
      : batch.events;
    const events = toNewEvents(site, wire, {
      userAgent,
      ipHash,
      receivedAt,
      sentAt: batch.sentAt,
      trusted: false,
    });
    const res = await ingest(deps, site, events, batch.events.length - events.length);
    const cut = batch.events.filter((e) => e.truncated).length;
    if (cut && deps.metrics) ingestCounter(deps.metrics, 'truncated').inc({}, cut);
    // The tag loads the forms chunk when a popup, slide-in or bar targets the page just counted.
    const page = batch.events.findLast((e) => e.type === 'pageview')?.url;
    if (page && (await overlayForms(deps.store).targets(site.id, page)))
      c.header('Touchpoint-Forms', '1');
    return c.json({ accepted: res.accepted, duplicates: res.duplicates }, 202);
  });

  return app;
}
