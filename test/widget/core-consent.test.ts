// @vitest-environment happy-dom
/**
 * The tag core: consent. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, events, HOST, tick } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('with consent required stores nothing and holds events in memory; denied discards them', async () => {
    const [command, pageview] = start({ site: 'pk_1', host: HOST, consent: 'required' });
    pageview();
    command('track', 'x', { a: 1 });
    await tick();
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    expect((await events()).map((e) => e.type)).toEqual(['pageview', 'track']);
    command('consent', 'denied');
    expect(await events()).toEqual([]);
    command('track', 'y');
    command('consent', 'granted');
    await tick();
    expect(document.cookie).toContain('_tp_id=');
    expect(JSON.parse(localStorage._tp).c).toBe(2);
    expect((await events()).map((e) => e.name)).toEqual(['y']);
  });
});
