// @vitest-environment happy-dom
/**
 * The tag core: never throws at the page. In happy-dom (no IndexedDB: the queue's memory
 * fallback runs; IndexedDB is covered in Chromium). The collector host is unreachable, so
 * everything stays queued for inspection. One tag per file: a tag's listeners live as long as
 * the window.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { start } from '../../widget/core.ts';
import { cleanPage, HOST } from './tag-env.ts';

beforeEach(cleanPage);

describe('core', () => {
  it('never throws at the page: bad commands are console warnings', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const [command] = start({ site: 'pk_1', host: HOST });
    expect(command('nope')).toBeUndefined();
    expect(warn).toHaveBeenLastCalledWith('touchpoint:', 'nope', expect.any(TypeError));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(command('track', 'x', circular)).toBeUndefined();
    expect(warn).toHaveBeenLastCalledWith('touchpoint:', 'track', expect.any(TypeError));
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
