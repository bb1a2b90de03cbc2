/**
 * The tag's core: ids, sessions, pageviews, engagement, clicks, commands and consent for one
 * site. Everything the page calls goes through `command`, which never throws (STYLE 9).
 */
import type { FormsHost } from '../shared/forms-host.ts';
import type { Props, WireEvent } from '../shared/wire.ts';
import type { Config } from './config.ts';
import { formsWanted, mountForms } from './forms.ts';
import { watchHistory } from './history.ts';
import { campaign, clean, nextSession, uid } from './pure.ts';
import { add, forget, type Item, mine, persist, stats } from './queue.ts';
import { sender } from './send.ts';
import { load, readCookie, registrable, type State, save } from './storage.ts';

/** What every command answers: the page can check it, and nothing is ever thrown at it. */
export type Result = { ok: true } | { ok: false; error: { code: string } };

type Nav = Navigator & { globalPrivacyControl?: boolean };

/**
 * Starts the tag for `cfg`; returns the command function and the pageview trigger.
 *
 * @example const tag = start(config); tag.command('track', 'signup', { plan: 'pro' });
 */
export function start(cfg: Config) {
  const nav: Nav = navigator;
  const doc = document;
  const loc = location;
  const now = Date.now;
  const on = addEventListener;
  const rnd = () => uid(() => crypto.getRandomValues(new Uint32Array(4)));
  const off = cfg.respectDnt !== 'false' && (nav.doNotTrack === '1' || nav.globalPrivacyControl);
  const memOnly = cfg.cookieless != null;
  let st = load() as State;
  // 2: granted by `consent` (the only grant a consent-required site honours); 1: not required.
  st.c = cfg.consent !== 'required' ? st.c || 1 : st.c === 2 ? 2 : undefined;
  /** Ids may be written (cookie, localStorage): consent given, not cookieless, no DNT/GPC. */
  const keep = () => st.c && !memOnly && !off;
  /** Takes what other tabs changed (session, identity), runs `f`, stores the result. */
  const sync = (f = () => {}) => {
    if (keep()) st = { ...st, ...load(), id: readCookie() || st.id };
    f();
    if (keep()) save(st);
  };
  // The cookie wins over its localStorage mirror (it is shared by every subdomain).
  st.id = (memOnly ? 0 : readCookie() || st.id) || rnd();
  sync();

  // Do Not Track stops events at the source; form submissions the visitor makes still go.
  const s = sender(cfg.host, cfg.site, () => st.c);
  // Idle, but within 2 s: a busy or background page still gets its events out.
  const enqueue = (it: Item) =>
    add(it).then(() =>
      ((self.requestIdleCallback || setTimeout) as typeof setTimeout)(s.flush, {
        timeout: 2e3,
      } as never),
    );
  const sid = (c = '') => {
    sync(() => {
      st.s = nextSession(st.s, now(), c, rnd);
    });
    return st.s!.i;
  };

  const ev = (type: WireEvent['type'], x: Partial<WireEvent> = {}, c?: string) => {
    if (off) return;
    const e = {
      id: rnd(),
      type,
      anonymousId: st.id,
      sessionId: sid(c),
      timestamp: now(),
      url: clean(loc.href),
      ...x,
    };
    // Automation is a flag for the collector's bot policy, never a reason to drop (DESIGN §9).
    e.properties = {
      ...e.properties,
      webdriver: nav.webdriver || undefined,
      dropped: stats.dropped || undefined,
    };
    stats.dropped = 0;
    // A JSON round trip: what is queued is exactly what will be sent (and cannot fail later).
    enqueue({ e: JSON.parse(JSON.stringify(e)) });
  };

  /** A different person identifying on this browser gets a new anonymous id (DESIGN §7.4). */
  const who = (t: Props) =>
    sync(() => {
      let p = st.u || {};
      const e = t.email ? `${t.email}`.trim().toLowerCase() : '';
      const u = t.userId != null ? `${t.userId}` : '';
      if ((e && p.e && e !== p.e) || (u && p.u && u !== p.u)) {
        st = { id: rnd(), c: st.c };
        p = {};
      }
      st.u = { e: e || p.e, u: u || p.u };
    });

  // The current page: route (path + query), URL, max scroll %, visible ms, what was last sent.
  let route = '';
  let page = '';
  let scroll = 0;
  let ms = 0;
  let since = 0;
  let sent = '';
  const tick = () => {
    scroll = Math.max(
      scroll,
      Math.round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100),
    );
    ms += since && now() - since;
    since = doc.hidden ? 0 : now();
  };
  /** Engagement of the page, sent when it changed (on hide, and before the next route). */
  const engagement = () => {
    tick();
    const sig = `${scroll},${Math.round(ms / 1e3)}`;
    if (page && sig !== sent)
      ev('engagement', { url: clean(page), properties: { scroll, engagedMs: ms } });
    sent = sig;
  };
  const hide = () => {
    engagement();
    s.unload(mine);
  };

  const host: FormsHost = {
    site: cfg.site,
    endpoint: cfg.host,
    nonce: cfg.nonce,
    anonymousId: () => st.id,
    sessionId: sid,
    track: (type, name, properties) => ev(type, { name, properties }),
    submit: (f, b) => enqueue({ f, b }),
    identified: who,
  };
  let mounted = 0;
  const forms = () =>
    mounted ||
    formsWanted(cfg.host, cfg.site, !!st.c).then((w) => w && !mounted++ && mountForms(host));

  /** Counts a pageview when the route changed, or always with `force`. */
  const pageview = (force?: unknown) => {
    const r = loc.pathname + loc.search;
    if (force || r !== route) {
      engagement();
      const ref = page || doc.referrer;
      ev(
        'pageview',
        { referrer: clean(ref), title: doc.title },
        campaign(loc.href, page ? '' : ref, keep() ? registrable() : loc.hostname),
      );
      route = r;
      page = loc.href;
      scroll = ms = 0;
      since = doc.hidden ? 0 : now();
      sent = '';
      forms();
    }
  };

  const commands: Record<string, (a: never, b: never) => unknown> = {
    track: (name: string, p: Props) => ev('track', { name: `${name}`, properties: { ...p } }), // a plain object, whatever is passed
    page: () => pageview(1),
    identify: (t: Props) => {
      // Spread: whatever the page passes becomes a plain object the collector accepts.
      const traits = { ...t };
      who(traits);
      ev('identify', { traits });
    },
    consent: (v: string) => {
      st.c = v === 'granted' ? 2 : undefined;
      if (st.c) {
        sync();
        persist().then(s.flush);
        forms();
      } else {
        // Denied: what memory holds goes, and ids stored by an earlier grant are removed.
        forget();
        if (load().id) save();
      }
    },
    reset: () =>
      sync(() => {
        st = { id: rnd(), c: st.c };
      }),
    form: (id: string) => mountForms(host, id),
  };

  /** The page-facing command function: one result shape, never throws. */
  const command = (name: string, ...args: unknown[]): Result => {
    try {
      (commands[name] as (...a: unknown[]) => unknown)(...args);
      return { ok: true };
    } catch (e) {
      console.warn('touchpoint:', name, e);
      return { ok: false, error: { code: commands[name] ? `${e}` : 'unknown-command' } };
    }
  };

  if (st.c) persist();
  on('visibilitychange', () => doc.hidden && hide());
  on('pagehide', hide);
  on('pageshow', (e) => e.persisted && pageview(1));
  // A site's own form (`data-tp-capture`, or every form with `data-capture-forms`): its fields
  // become traits (never passwords, hidden or payment fields), an email identifies the visitor.
  on(
    'submit',
    (e) => {
      const f = e.target as HTMLFormElement;
      const name = f.dataset.tpCapture ?? (cfg.captureForms != null ? '' : null);
      if (name == null) return;
      const traits: Props = {};
      for (const el of f.elements as unknown as HTMLInputElement[])
        if (
          el.name &&
          (el.checked || !/check|radio|password|hidden|file/.test(el.type)) &&
          !/pass|card|cc-|cv|iban|ssn|secret|token/i.test(el.name + el.autocomplete)
        )
          traits[el.name] = el.value;
      if (traits.email) who(traits);
      ev('form_submit', { name: name || f.id || 'form', traits });
    },
    true,
  );
  on('scroll', tick, { passive: true });
  on(
    'click',
    (e) => {
      const t = e.target as Element;
      const x = t.closest?.('[data-tp-event]');
      const a = t.closest?.('a[href]') as HTMLAnchorElement | null;
      // `test(undefined)` is false: no link, no download.
      const dl = /\.(pdf|zip|docx?|xlsx?|pptx?|csv|dmg|exe|mp[34])$/i.test(a?.pathname as string);
      if (x) ev('click', { name: x.getAttribute('data-tp-event')! });
      if (dl || (a && /^http/.test(a.protocol) && a.host !== loc.host))
        ev('click', { name: dl ? 'download' : 'outbound', properties: { href: clean(a!.href) } });
    },
    true,
  );
  if (cfg.spa !== 'false') watchHistory(pageview);
  return { command, pageview };
}
