// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  looksLikeCardNumber,
  pickCaptureTraits,
  readCaptureInputs,
} from '../../shared/forms-capture.ts';

describe('capturing a site form', () => {
  it('takes email, name, phone and company by name, type or autocomplete', () => {
    expect(
      pickCaptureTraits([
        { name: 'user[email]', type: 'text', value: ' Ana@Example.com ' },
        { name: 'full_name', type: 'text', value: 'Ana Nguyen' },
        { name: 'x1', type: 'tel', value: '+84 90 000 0000', autocomplete: 'tel' },
        { name: 'org', type: 'text', value: 'Acme' },
        { name: 'message', type: 'textarea', value: 'hello' },
      ]),
    ).toEqual({
      email: 'ana@example.com',
      name: 'Ana Nguyen',
      phone: '+84 90 000 0000',
      company: 'Acme',
    });
  });

  it('never takes passwords, hidden fields or card numbers, whatever they are called', () => {
    const t = pickCaptureTraits([
      { name: 'email', type: 'email', value: 'a@b.co' },
      { name: 'name', type: 'password', value: 'hunter2' },
      { name: 'company', type: 'hidden', value: 'secret-token' },
      { name: 'phone', type: 'text', value: '4111 1111 1111 1111' },
      { name: 'card_name', type: 'text', value: 'A N' },
    ]);
    expect(t).toEqual({ email: 'a@b.co' });
    expect(JSON.stringify(t)).not.toMatch(/hunter2|secret|4111/);
    expect(looksLikeCardNumber('4111-1111-1111-1111')).toBe(true);
    expect(looksLikeCardNumber('+84 90 000 0000')).toBe(false);
  });

  it('yields nothing without a valid email', () => {
    expect(pickCaptureTraits([{ name: 'name', type: 'text', value: 'Ana' }])).toEqual({});
    expect(pickCaptureTraits([{ name: 'email', type: 'email', value: 'nope' }])).toEqual({});
  });

  it('reads a real form, skipping checkboxes', () => {
    document.body.innerHTML = `<form>
      <input name="email" type="email" value="a@b.co"><input name="pwd" type="password" value="x">
      <input name="newsletter" type="checkbox" checked value="on"><textarea name="company">Acme</textarea>
    </form>`;
    const inputs = readCaptureInputs(document.querySelector('form')!);
    expect(inputs.map((i) => i.name)).toEqual(['email', 'pwd', 'company']);
    expect(pickCaptureTraits(inputs)).toEqual({ email: 'a@b.co', company: 'Acme' });
  });
});
