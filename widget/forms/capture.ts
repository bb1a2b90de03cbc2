/**
 * Capture of a site's own `<form>` (`data-tp-capture`, or every form with `data-capture-forms`):
 * rare, so it lives in this chunk, not in the core. The core loads the chunk on pages that have
 * such a form; its fields become the traits of a `form_submit` event.
 */
import { pickCaptureTraits, readCaptureInputs } from '../../shared/forms-capture.ts';
import type { FormsHost } from '../../shared/forms-host.ts';

/**
 * Records the submission of `f` with the one picker the design allows (`shared/forms-capture.ts`):
 * only email, name, phone and company; never passwords, hidden fields or card-number-like
 * values, whatever the field is called. An email identifies the visitor (DESIGN §7); a form
 * without one is still counted, with no traits.
 *
 * Returns true when the form identified the visitor (it had an email).
 *
 * @example capture(host, form); // form_submit { name: 'signup', traits: { email: '…' } }
 */
export const capture = (host: FormsHost, f: HTMLFormElement): boolean => {
  try {
    const traits = pickCaptureTraits(readCaptureInputs(f));
    const found = traits.email ? traits : undefined;
    if (found) host.identified(found);
    host.track('form_submit', { name: f.dataset.tpCapture || f.id || 'form', traits: found });
    return !!found;
  } catch (e) {
    console.warn('[touchpoint] capture:', e);
    return false;
  }
};
