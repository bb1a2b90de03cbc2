/**
 * Whether a popup, slide-in or bar may show on a page: the collector's answer to a pageview
 * carries it (`Touchpoint-Forms: 1`), so the tag imports the forms chunk only where a form may
 * show without asking for the config on every page. Targeting by URL is applied here; by device
 * (and frequency, triggers) the chunk decides, so a wrong "yes" costs one chunk load, never a
 * missed form.
 */
import type { FormDefinition } from '../../shared/forms.ts';
import type { Queryable, Store } from '../store/index.ts';
import { TtlCache } from '../store/ttl-cache.ts';
import { targetsPage } from './config.ts';
import { listForms } from './definitions.ts';

type Overlay = Pick<FormDefinition, 'targeting'>;

/**
 * The site's overlay forms, cached per site for `ttlMs` (ingest asks on every pageview batch).
 * Form writes through this process forget the site at once; other replicas see them within the
 * TTL.
 */
export class OverlayForms {
  private readonly cache: TtlCache<Overlay[]>;

  constructor(
    private readonly db: Queryable,
    now: () => number = Date.now,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache(now, ttlMs);
  }

  /** Whether one of the site's popups, slide-ins or bars targets `url` (any device). */
  async targets(siteId: string, url: string): Promise<boolean> {
    const forms = await this.cache.get(siteId, async () =>
      (await listForms(this.db, siteId)).filter((f) => f.kind !== 'inline'),
    );
    return forms.some((f) => targetsPage(f.targeting, url));
  }

  /** Drops the site's entry (its forms changed). */
  forget(siteId: string): void {
    this.cache.delete(siteId);
  }
}

const shared = new WeakMap<Store, OverlayForms>();

/**
 * The one cache per store in this process, shared by the collect and forms routes.
 *
 * @example if (await overlayForms(deps.store).targets(site.id, url)) c.header('Touchpoint-Forms', '1');
 */
export function overlayForms(store: Store): OverlayForms {
  let cache = shared.get(store);
  if (!cache) {
    cache = new OverlayForms(store);
    shared.set(store, cache);
  }
  return cache;
}
