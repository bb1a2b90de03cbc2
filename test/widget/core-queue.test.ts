// @vitest-environment happy-dom
/**
 * The durable queue: order, removal, the 1,000 cap. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/wire.ts';
import { add, all, CAP, del, stats } from '../../widget/queue.ts';
import { cleanPage } from './tag-env.ts';

beforeEach(cleanPage);

describe('queue (memory fallback)', () => {
  it('keeps items in order, removes by id, caps at 1,000 dropping the oldest and counting them', async () => {
    const e = (i: number) =>
      ({ id: `e${i}`, type: 'track', anonymousId: 'a', timestamp: i }) as WireEvent;
    for (let i = 0; i < CAP + 5; i++) await add(e(i));
    const q = await all();
    expect(q).toHaveLength(CAP);
    expect(q[0]!.id).toBe('e5');
    expect(stats.dropped).toBe(5);
    await del(['e5', 'e6']);
    expect((await all())[0]!.id).toBe('e7');
    stats.dropped = 0;
  });
});
