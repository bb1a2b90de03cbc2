/**
 * The contract between the tag's core (`widget/`) and the lazily loaded forms chunk
 * (`widget/forms/`). Types only. The core fetches nothing for forms until a form will show; then
 * it `import()`s the chunk and calls its `mount(host)`.
 */
import type { Locale, SiteConfig } from './forms.ts';
import type { Props, WireEvent } from './wire.ts';

/** A form submission as queued by the tag and sent to `POST /v1/forms/{formId}/submissions`. */
export interface SubmissionBody {
  site: string;
  /** Generated in the browser: the idempotency key of the submission. */
  id: string;
  anonymousId: string;
  sessionId?: string;
  values: Record<string, unknown>;
  url?: string;
  /** Time from form shown to submit, for the minimum-fill-time spam check. */
  elapsedMs: number;
  /** Honeypot field value: empty from humans. */
  hp: string;
  /** Language the form was shown in: the consent text stored is the one the visitor read. */
  locale?: Locale;
}

/** What the core hands the forms chunk. */
export interface FormsHost {
  /** The site's public key. */
  site: string;
  /** Collector origin, e.g. `https://collector.example.com`. */
  endpoint: string;
  anonymousId(): string;
  sessionId(): string;
  /** Queues an event durably (form_view, form_dismiss) — same queue as every other event. */
  track(type: WireEvent['type'], name?: string, properties?: Props): void;
  /** Queues a submission durably; it is delivered (exactly once) even across offline periods and reloads. */
  submit(formId: string, body: SubmissionBody): void;
  /** Marks this browser's visitor as identified (the core may rotate identity as DESIGN §7 says). */
  identified(traits: Props): void;
  /** CSP nonce of the tag's script element, for the injected stylesheet. */
  nonce?: string;
  /**
   * Optional: the site config the core already fetched. Without it the chunk fetches
   * `GET {endpoint}/v1/sites/{site}/config?anonymousId=…` itself (which also tells it which
   * field names are known for progressive profiling).
   */
  config?: SiteConfig;
  /** Optional: page views of this visitor so far (for the `pageviews` trigger); else the chunk counts its own. */
  pageviews?(): number;
}

/**
 * Capturing sites' own forms (`data-tp-capture` on a `<form>`, `data-capture-forms` on the tag,
 * or `settings.captureForms` in the config) is the core's job, without loading this chunk: on
 * `submit` it calls `pickCaptureTraits(readCaptureInputs(form))` from `shared/forms-capture.ts`
 * and, when that returns an email, sends `identify` with those traits and a `track` named
 * `form_capture` — never passwords, hidden fields or card numbers.
 */

/** The forms chunk's only export. `formId` set: show that form now (`touchpoint('form', id)`). */
export type MountForms = (host: FormsHost, formId?: string) => void;
