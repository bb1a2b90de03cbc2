/**
 * Capture of a site's own `<form>` (`data-tp-capture`, or every form with `data-capture-forms`):
 * rare, so it lives in this chunk, not in the core. The core decides a submitted form is to be
 * captured and hands it over; its fields become the traits of a `form_submit` event.
 */
import type { CaptureForm } from '../../shared/forms-host.ts';

/**
 * Records the submission of `f`: named fields become traits, never passwords, hidden, file or
 * payment fields (nor unchecked boxes); an email identifies the visitor (DESIGN §7).
 *
 * @example capture(host, form); // form_submit { name: 'signup', traits: { email: '…' } }
 */
export const capture: CaptureForm = (host, f) => {
  try {
    const traits: Record<string, string> = {};
    for (const el of f.elements as unknown as HTMLInputElement[])
      if (
        el.name &&
        (el.checked || !/check|radio|password|hidden|file/.test(el.type)) &&
        !/pass|card|cc-|cv|iban|ssn|secret|token/i.test(el.name + el.autocomplete)
      )
        traits[el.name] = el.value;
    if (traits.email) host.identified(traits);
    host.track('form_submit', f.dataset.tpCapture || f.id || 'form', undefined, traits);
  } catch (e) {
    console.warn('[touchpoint] capture:', e);
  }
};
