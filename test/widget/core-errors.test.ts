// @vitest-environment happy-dom
/**
 * The tag core: never throws at the page. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, HOST } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('never throws at the page: bad commands answer an error value', () => {
    const tag = start({ site: 'pk_1', host: HOST });
    expect(tag.command('nope')).toEqual({ ok: false, error: { code: 'unknown-command' } });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(tag.command('track', 'x', circular)).toMatchObject({ ok: false });
  });
});
