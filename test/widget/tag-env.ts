/** Helpers for the tag's happy-dom tests: an unreachable collector, the queued events, a clean page. */
import type { WireEvent } from '../../shared/wire.ts';
import { all, del } from '../../widget/queue.ts';

/** A collector address nothing listens on: every send fails, so events stay queued. */
export const HOST = 'http://127.0.0.1:9';

/** The events in the queue, oldest first. */
export const events = async () => (await all()).filter((it) => !it.f) as WireEvent[];

/** Lets timers and promise callbacks of the tag run. */
export const tick = () => new Promise((r) => setTimeout(r, 20));

/** Empties the queue, storage and cookies, and puts the page at `/start`. */
export async function cleanPage() {
  await del((await all()).map((it) => it.id));
  localStorage.clear();
  // biome-ignore lint/suspicious/noDocumentCookie: tests clear the tag's cookies
  for (const c of document.cookie.split('; '))
    document.cookie = `${c.split('=')[0]}=;max-age=0;path=/`;
  history.replaceState({}, '', '/start');
}
