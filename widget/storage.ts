/**
 * First-party storage: the `_tp_id` cookie on the registrable domain (shared by subdomains) and
 * one localStorage entry `_tp` with the id's mirror, the session, the identity and the consent.
 */
import type { Session } from './pure.ts';

/** What the tag keeps in localStorage `_tp`. */
export interface State {
  /** Anonymous id (mirror of the cookie; the cookie wins). */
  id: string;
  /** Current session. */
  s?: Session;
  /** Who this browser last identified as: email (lowercased, `e`) and userId (`u`). */
  e?: string;
  u?: string;
  /**
   * Consent: 2 granted by the `consent` command, 1 not required by the site, 0 denied on a site
   * that does not require it (kept, so that the next page does not track again).
   */
  c?: 0 | 1 | 2;
  /** The registrable domain the cookie is set on, once found (`registrable`). */
  d?: string;
}

/** The stored state (empty when missing or storage is blocked). */
export function load(): Partial<State> {
  try {
    // Missing (a first visit) parses as 0, not a thrown SyntaxError: throwing is slow.
    const st: Partial<State> = JSON.parse(localStorage._tp || 0) || {};
    // The registrable domain found on an earlier page: no second read for `registrable`.
    domain ??= st.d;
    return st;
  } catch {
    return {};
  }
}

/**
 * Stores `st`, or removes the entry when `st` is undefined; the cookie holds `st.id`, and is
 * removed without one.
 */
export function save(st?: Partial<State>): void {
  try {
    if (st) localStorage._tp = JSON.stringify({ ...st, d: registrable() });
    else delete localStorage._tp;
  } catch {}
  // Once per page and on every change: each cookie write is a synchronous trip to the browser.
  // Nothing to remove, nothing written: a denial before any grant probes no cookie domain.
  if (st?.id !== written && (st?.id || readCookie()))
    cookie(`_tp_id=${st?.id || ''}`, registrable(), st?.id ? 31536e3 : 0);
  written = st?.id;
}

let written: string | undefined | null = null;

/** The `_tp_id` cookie, if set (`\b`: not some other cookie ending in `_tp_id`). */
export const readCookie = (): string | undefined => /\b_tp_id=([^;]+)/.exec(document.cookie)?.[1];

const cookie = (kv: string, domain: string, age: number) => {
  document.cookie = `${kv};path=/;max-age=${age};samesite=lax${domain && `;domain=${domain}`}${location.protocol === 'https:' ? ';secure' : ''}`;
};

let domain: string | undefined;

/**
 * The registrable domain, found by probing: the shortest suffix of the host a cookie can be set
 * on (browsers refuse public suffixes), so every subdomain shares one anonymous id.
 */
export function registrable(): string {
  // Found once per browser and kept with the state (`load` takes it): probing writes two
  // cookies every page.
  if (domain == null) {
    const p = location.hostname.split('.');
    domain = '';
    for (let i = p.length - 1; i-- && !domain; ) {
      const d = p.slice(i).join('.');
      cookie('_tp_p=1', d, 9);
      if (document.cookie.includes('_tp_p=1')) domain = d;
      cookie('_tp_p=', d, 0);
    }
  }
  return domain;
}
