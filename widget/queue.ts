/**
 * The durable outbox: the queue is one array in IndexedDB (idb-keyval), changed only through
 * atomic read-modify-write transactions, so every tab sees the same queue and no write is lost.
 * Each item is persisted when it is enqueued and removed only after the collector's 202. Falls
 * back to memory when IndexedDB is unavailable, and stays in memory until consent allows
 * storing. The only importer of idb-keyval.
 */
import { promisifyRequest } from 'idb-keyval';
import type { QueuedSubmission } from '../shared/forms-host.ts';
import type { WireEvent } from '../shared/wire.ts';

/** One queued item: an event for `/v1/collect`, or a form submission (it has `f`, the form id). */
export type Item = (WireEvent & { f?: undefined }) | QueuedSubmission;

/** Items kept at most; past that the oldest are dropped and counted. */
export const CAP = 1000;

let db: Promise<IDBDatabase> | undefined;
let mem: Item[] = [];
/** Items dropped by the cap, not yet reported (the next event carries the count). */
export const stats = { dropped: 0 };
/** Items this page enqueued and has not seen delivered: what `pagehide` hands to sendBeacon. */
export let mine: Item[] = [];

/**
 * Applies `fn` to the stored queue in one readwrite transaction (atomic across tabs) or, without
 * IndexedDB, to memory; resolves to the queue `fn` returned. idb-keyval's promisifyRequest over
 * the one connection `persist` opens (not its createStore: reopening a connection the browser
 * closed costs the budget ~40 B; a closed one fails here and memory takes over, as when opening
 * fails).
 */
async function change(fn: (q: Item[]) => Item[]): Promise<Item[]> {
  try {
    if (db) {
      const s = (await db).transaction('q', 'readwrite').objectStore('q');
      const r = await promisifyRequest<Item[] | undefined>(s.get(0));
      const q = fn(r || []);
      // A read (`all`) hands back the same array: nothing to write.
      if (q !== r) s.put(q, 0);
      await promisifyRequest(s.transaction);
      return q;
    }
  } catch {
    db = undefined;
  }
  mem = fn(mem);
  return mem;
}

/**
 * Persists from now on: opens IndexedDB and moves what memory held (after consent). Where there
 * is none, or opening it throws (a sandboxed frame: SecurityError), memory stays the queue.
 *
 * @example await persist(); await add({ e: event });
 */
export async function persist(): Promise<void> {
  if (!db) {
    try {
      const r = indexedDB.open('touchpoint');
      r.onupgradeneeded = () => r.result.createObjectStore('q');
      db = promisifyRequest(r);
    } catch {}
    const held = mem;
    mem = [];
    // Nothing held (every page start): no transaction.
    if (held[0]) await change((q) => q.concat(held));
  }
}

/**
 * Consent denied: drops what memory holds and stores nothing more (until `persist` again). What
 * an earlier grant stored stays queued: it was given with consent.
 */
export function forget(): void {
  mem = [];
  mine = [];
  db = undefined;
}

/**
 * Enqueues `it`; resolves once it is stored (or held in memory). The cap drops the oldest.
 * `late`: an item of this page's already (held while the page was in the back-forward cache).
 */
export function add(it: Item, late?: unknown): Promise<unknown> {
  late || mine.push(it);
  return change((q) => {
    stats.dropped += Math.max(0, q.push(it) - CAP);
    return q.slice(-CAP);
  });
}

/**
 * Every queued item, oldest first (read in the same kind of transaction as every change). This
 * page's items another tab delivered leave `mine`: beaconed again on every hide, they would use
 * up the beacon quota the page's last events need.
 */
export const all = (): Promise<Item[]> =>
  change((q) => {
    mine = mine.filter((m) => q.some((x) => x.id === m.id));
    return q;
  });

/** Removes delivered (or rejected) items by id; resolves to the queue left. */
export function del(ids: string[]): Promise<Item[]> {
  const keep = (q: Item[]) => q.filter((it) => !ids.includes(it.id));
  mine = keep(mine);
  return change(keep);
}
