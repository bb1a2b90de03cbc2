/**
 * Delivery: drains the queue in order, batches of ≤ 50 events / 60 KB to `/v1/collect` and one
 * request per form submission, removing items only after a 202. Retries with backoff (full
 * jitter, ≤ 5 min), honours `Retry-After`, drops a batch on other 4xx, one tab at a time.
 */
import { backoff } from './pure.ts';
import { all, del, type Item, idOf } from './queue.ts';
import { beacon, post } from './transport.ts';

/**
 * The first request to make for `list` (oldest first): how many items it carries, URL and body.
 *
 * @example const [n, url, body] = nextRequest(items, 'https://c.example', 'pk_1', Date.now());
 */
export function nextRequest(
  list: Item[],
  host: string,
  site: string,
  now: number,
): [number, string, string] {
  const it = list[0]!;
  if (it.f)
    return [1, `${host}/v1/forms/${encodeURIComponent(it.f)}/submissions`, JSON.stringify(it.b)];
  const events = [];
  let size = 0;
  for (const x of list) {
    // UTF-8 bytes, so a batch stays under the collector's 64 KB body limit.
    const n = x.e && unescape(encodeURIComponent(JSON.stringify(x.e))).length;
    size += n || 0;
    if (!n || events.length > 49 || (size > 6e4 && events.length)) break;
    events.push(x.e);
  }
  return [events.length, `${host}/v1/collect`, JSON.stringify({ site, sentAt: now, events })];
}

/**
 * A sender bound to one collector and site; `ok()` says whether sending is allowed now.
 *
 * @example const s = sender(host, site, () => consented); s.flush();
 */
export function sender(host: string, site: string, ok: () => boolean) {
  let busy = 0;
  let again = 0;
  let tries = 0;
  let until = 0;

  const later = (ms: number) => {
    until = Date.now() + ms;
    setTimeout(flush, ms + 9);
  };

  async function run() {
    for (let list = await all(); list[0]; list = await all()) {
      const [n, url, body] = nextRequest(list, host, site, Date.now());
      const [s, retry] = await post(url, body);
      // 408, 429, 5xx and network errors are worth retrying; any other 4xx never succeeds.
      if (s !== 202 && (s < 400 || s > 499 || s === 408 || s === 429))
        return later(s === 429 && retry ? +retry * 1e3 : backoff(tries++, Math.random()));
      if (s !== 202) console.warn('touchpoint: dropped', s, url);
      tries = 0;
      await del(list.slice(0, n).map(idOf));
    }
  }

  /** Sends what is queued, unless backoff pauses sending or another tab is sending. */
  function flush(): void {
    if (busy) again = 1;
    if (busy || Date.now() < until || !ok()) return;
    busy = 1;
    const locks = navigator.locks;
    (locks ? locks.request('tp', { ifAvailable: true }, (l) => (l ? run() : later(2e3))) : run())
      .catch(console.warn)
      .finally(() => {
        busy = 0;
        if (again) {
          again = 0;
          flush();
        }
      });
  }

  /** On page hide: hands `list` (this page's undelivered items) to sendBeacon; the ids dedupe. */
  function unload(list: Item[]) {
    for (let n = 0; ok() && list[0]; list = list.slice(n))
      n = beacon(...nextRequest(list, host, site, Date.now()));
  }

  addEventListener('online', () => {
    until = tries = 0;
    flush();
  });
  return { flush, unload };
}
