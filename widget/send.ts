/**
 * Delivery: drains the queue in order, batches of ≤ 50 events / 60 KB to `/v1/collect` and one
 * request per form submission, removing items only after a 202. Retries with backoff (full
 * jitter, ≤ 5 min), honours `Retry-After`, drops a batch on other 4xx, one tab at a time.
 */
import { backoff } from './pure.ts';
import { all, del, type Item, idOf } from './queue.ts';
import { beacon, post } from './transport.ts';

/**
 * The first request to make for `list` (oldest first): how many items it carries, URL, body.
 *
 * @example const [n, url, body] = nextRequest(queue, 'https://c.example', 'pk_1', Date.now());
 */
export function nextRequest(list: Item[], host: string, site: string, now: number) {
  const [x] = list;
  if (x!.f)
    return [
      1,
      `${host}/v1/forms/${encodeURIComponent(x!.f)}/submissions`,
      JSON.stringify(x!.b),
    ] as const;
  let n = 0;
  let size = 0;
  // Events up to the next submission, at most 50, and 20,000 characters: at most 60 KB of
  // UTF-8 whatever the script (the body limit is 64 KB).
  for (const y of list) {
    size += y.e ? JSON.stringify(y.e).length * 3 : 1e9;
    if (n > 49 || (n && size > 6e4)) break;
    n++;
  }
  const events = list.slice(0, n).map((y) => y.e);
  return [n, `${host}/v1/collect`, JSON.stringify({ site, sentAt: now, events })] as const;
}

/**
 * A sender bound to one collector and site; `ok()` says whether sending is allowed now.
 *
 * @example const s = sender(host, site, () => consented); s.flush();
 */
export function sender(host: string, site: string, ok: () => unknown) {
  let busy = 0;
  let again = 0;
  let tries = 0;
  let until = 0;

  async function run() {
    for (let list = await all(); list[0]; list = await all()) {
      const [n, url, body] = nextRequest(list, host, site, Date.now());
      const [s, retry] = await post(url, body);
      // 408, 429, 5xx and network errors are worth retrying; any other 4xx never succeeds.
      if (s !== 202 && (s < 400 || s > 499 || s === 408 || s === 429)) {
        const wait = retry && s === 429 ? +retry * 1e3 : backoff(tries++, Math.random());
        until = Date.now() + wait;
        setTimeout(flush, wait + 9);
        return;
      }
      if (s !== 202) console.warn('touchpoint:', s, url);
      tries = 0;
      await del(list.slice(0, n).map(idOf));
    }
  }

  /** Sends what is queued, unless backoff pauses sending or another tab is sending it. */
  function flush(): void {
    again = busy;
    if (busy || Date.now() < until || !ok()) return;
    busy = 1;
    // The tab holding the lock drains the shared queue, this page's items included.
    (navigator.locks?.request('tp', { ifAvailable: true }, (l) => l && run()) || run())
      .catch(console.warn)
      .finally(() => {
        busy = 0;
        if (again) flush();
      });
  }

  /** On page hide: hands `list` (this page's undelivered items) to sendBeacon; ids dedupe. */
  function unload(list: Item[]) {
    while (ok() && list[0]) {
      const [n, url, body] = nextRequest(list, host, site, Date.now());
      beacon(url, body);
      list = list.slice(n);
    }
  }

  addEventListener('online', () => {
    until = tries = 0;
    flush();
  });
  return { flush, unload };
}
