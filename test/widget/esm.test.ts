/** The ES module build's `init` takes booleans for the switches, as a bundler user writes them. */
import { describe, expect, it } from 'vitest';
import { attributes } from '../../widget/esm.ts';

const base = { site: 'pk_1', host: 'https://c.example.com' };

describe('init settings', () => {
  it('reads false as off and true as on for every switch (were read as attributes: inverted)', () => {
    expect(
      attributes({ ...base, spa: false, respectDnt: false, cookieless: false, captureForms: true }),
    ).toEqual({ ...base, spa: 'false', respectDnt: 'false', captureForms: '' });
    expect(attributes({ ...base, spa: true, respectDnt: true, cookieless: true })).toEqual({
      ...base,
      spa: 'true',
      respectDnt: 'true',
      cookieless: '',
    });
  });

  it('passes attribute-style strings through unchanged', () => {
    const asAttributes = { ...base, spa: 'false', cookieless: '', consent: 'required' };
    expect(attributes(asAttributes)).toEqual(asAttributes);
  });
});
