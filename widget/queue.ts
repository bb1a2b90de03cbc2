/**
 * The durable outbox: the queue is one array in IndexedDB (idb-keyval), changed only through
 * atomic read-modify-write transactions, so every tab sees the same queue and no write is lost.
 * Each item is persisted when it is enqueued and removed only after the collector's 202. Falls
 * back to memory when IndexedDB is unavailable, and stays in memory until consent allows
 * storing. The only importer of idb-keyval.
 */
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { SubmissionBody } from '../shared/forms-host.ts';
import type { WireEvent } from '../shared/wire.ts';

/** One queued item: an event for `/v1/collect`, or a form submission (`f` = form id, `b` = body). */
export interface Item {
  e?: WireEvent;
  f?: string;
  b?: SubmissionBody;
}

/** Items kept at most; past that the oldest are dropped and counted. */
export const CAP = 1000;

/** The item's id (event id or submission id): its identity in the queue. */
export const idOf = (it: Item): string => (it.e || it.b)!.id;

let db: UseStore | undefined;
let mem: Item[] = [];
/** Items dropped by the cap, not yet reported (the next event carries the count). */
export const stats = { dropped: 0 };
/** Items this page enqueued and has not seen delivered: what `pagehide` hands to sendBeacon. */
export let mine: Item[] = [];

/**
 * Applies `fn` to the stored queue in one readwrite transaction (atomic across tabs) or, without
 * IndexedDB, to memory. idb-keyval's store and promisifyRequest, without its default store.
 */
async function change(fn: (q: Item[]) => Item[]): Promise<void> {
  try {
    if (db)
      return await db('readwrite', (s) => {
        const r = s.get('q');
        r.onsuccess = () => s.put(fn(r.result || []), 'q');
        return promisifyRequest(s.transaction);
      });
  } catch {
    db = undefined;
  }
  mem = fn(mem);
}

/**
 * Persists from now on: opens IndexedDB and moves what memory held (after consent).
 *
 * @example await persist(); await add({ e: event });
 */
export async function persist(): Promise<void> {
  if (db || !self.indexedDB) return;
  db = createStore('touchpoint', 'q');
  const held = mem;
  mem = [];
  await change((q) => q.concat(held));
}

/** Drops what memory holds (consent denied). */
export function forget(): void {
  mem = [];
  mine = [];
}

/** Enqueues `it`; resolves once it is stored (or held in memory). The cap drops the oldest. */
export function add(it: Item): Promise<void> {
  mine.push(it);
  return change((q) => {
    q.push(it);
    stats.dropped += Math.max(0, q.length - CAP);
    return q.slice(-CAP);
  });
}

/** Every queued item, oldest first. */
export const all = async (): Promise<Item[]> =>
  (db && (await db('readonly', (s) => promisifyRequest<Item[]>(s.get('q'))).catch(() => mem))) ||
  mem;

/** Removes delivered (or rejected) items by id. */
export function del(ids: string[]): Promise<void> {
  const keep = (q: Item[]) => q.filter((it) => !ids.includes(idOf(it)));
  mine = keep(mine);
  return change(keep);
}
