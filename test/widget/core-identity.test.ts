// @vitest-environment happy-dom
/**
 * The tag core: identity rotation. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('starts a new anonymous id when another person identifies, keeps it for the same one', async () => {
    const [command] = start({ site: 'pk_1', host: HOST });
    command('identify', { email: 'Ann@Example.com' });
    command('identify', { email: 'ann@example.com ', plan: 'pro' });
    command('identify', { email: 'bob@example.com' });
    command('reset');
    command('track', 'after_reset');
    await tick();
    const ids = (await events()).map((e) => e.anonymousId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
    expect(ids[3]).not.toBe(ids[2]);
    expect(document.cookie).toContain(`_tp_id=${ids[3]}`);
  });
});
