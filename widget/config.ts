/** The tag's settings: the only module that reads the script element (DESIGN §3 attributes). */

/** Settings of one tag instance: the script's `data-*` attributes, camel-cased. */
export interface Config {
  /** Public key (`data-site`), required. */
  site: string;
  /**
   * Collector origin, or the site's first-party path proxied to it (`data-host`, default: the
   * script's origin), without a trailing slash.
   */
  host: string;
  /** `"required"`: nothing stored or sent before `consent granted`. */
  consent?: string;
  /** Present: ids live in memory only. */
  cookieless?: string;
  /** `"false"`: ignore Do Not Track / Global Privacy Control. */
  respectDnt?: string;
  /** `"false"`: no SPA navigation tracking. */
  spa?: string;
  /** Present: capture every form of the page, not only `[data-tp-capture]` ones. */
  captureForms?: string;
  /** CSP nonce of the script element, handed to the forms chunk. */
  nonce?: string;
}

/**
 * Settings of the `<script data-site>` element that loaded the tag, if any.
 *
 * @example const cfg = fromScript(); // { site: 'pk_…', host: 'https://collector.example.com', … }
 */
export function fromScript(): Config | undefined {
  const s = (document.currentScript ||
    document.querySelector('script[data-site]')) as HTMLScriptElement | null;
  if (s) return { host: new URL(s.src).origin, nonce: s.nonce, ...s.dataset } as Config;
}
