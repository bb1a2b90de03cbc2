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

/**
 * Starts the tag for `cfg`; returns the command function and the pageview trigger.
 *
 * @example const tag = start(config); tag.command('track', 'signup', { plan: 'pro' });
 */
export function start(cfg: Config) {
  const rnd = () => uid(() => crypto.getRandomValues(new Uint32Array(4)));
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const doc = document;
  const now = Date.now;
  const obj = (v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? (v as Props) : undefined;
  const off = cfg.respectDnt !== 'false' && (nav.doNotTrack === '1' || !!nav.globalPrivacyControl);
  let st = { c: cfg.consent !== 'required' ? 1 : undefined, ...load() } as State;
  /** Ids may be written (cookie, localStorage): consent given and not cookieless. */
  const keep = () => st.c && cfg.cookieless == null;
  /** Takes what other tabs changed (session, identity), then runs `f` and stores the result. */
  const sync = (f?: () => void) => {
    if (keep()) st = { ...st, ...load(), id: readCookie() || st.id };
    f?.();
    if (keep()) save(st);
  };
  // The cookie wins over its localStorage mirror (it is shared by every subdomain).
  st.id = (keep() && readCookie()) || st.id || rnd();
  if (cfg.cookieless != null) st = { id: rnd(), c: st.c };
  sync();

  const s = sender(cfg.host, cfg.site, () => !!st.c && !off);
  const enqueue = (it: Item) =>
    add(it).then(() =>
      ((self.requestIdleCallback || setTimeout) as typeof setTimeout)(s.flush, {
        timeout: 2e3,
      } as never),
    );
  const sid = (c = '') => {
    sync(() => (st.s = nextSession(st.s, now(), c, rnd)));
    return st.s!.i;
  };

  function ev(type: WireEvent['type'], x: Partial<WireEvent> = {}, c?: string) {
    if (off) return;
    const e: WireEvent = {
      id: rnd(),
      type,
      anonymousId: st.id,
      sessionId: sid(c),
      timestamp: now(),
      url: clean(location.href),
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
  }

  /** Starts a new anonymous id when a different person identifies on this browser (DESIGN §7.4). */
  const who = (t: Props) =>
    sync(() => {
      let p = st.u || {};
      const e = t.email ? String(t.email).trim().toLowerCase() : '';
      const u = t.userId != null ? String(t.userId) : '';
      if ((e && p.e && e !== p.e) || (u && p.u && u !== p.u)) {
        st = { id: rnd(), c: st.c };
        p = {};
      }
      st.u = { e: e || p.e, u: u || p.u };
    });

  // Engagement of the current page: max scroll %, visible time (ms), what was last sent.
  let route = '';
  let page = '';
  let scroll = 0;
  let ms = 0;
  let since = 0;
  let sent = '';
  const tick = () => {
    scroll = Math.max(
      scroll,
      Math.min(100, Math.round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100)),
    );
    ms += since && now() - since;
    since = doc.hidden ? 0 : now();
  };
  const engagement = () => {
    tick();
    const sig = `${scroll},${Math.round(ms / 1e3)}`;
    if (page && sig !== sent) {
      sent = sig;
      ev('engagement', { url: clean(page), properties: { scroll, engagedMs: ms } });
    }
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
    sessionId: () => sid(),
    track: (type, name, properties) => ev(type, { name, properties }),
    submit: (f, b) => enqueue({ f, b }),
    identified: who,
  };
  let mounted = 0;
  const forms = () =>
    mounted ||
    formsWanted(cfg.host, cfg.site, !!st.c && !off).then(
      (w) => w && !mounted++ && mountForms(host),
    );

  /** Counts a pageview when the route (path + query) changed, or always with `force`. */
  function pageview(force?: unknown) {
    const r = location.pathname + location.search;
    if (!force && r === route) return;
    engagement();
    const ref = page || doc.referrer;
    route = r;
    ev(
      'pageview',
      { referrer: clean(ref), title: doc.title },
      campaign(location.href, page ? '' : ref, keep() ? registrable() : location.hostname),
    );
    page = location.href;
    scroll = ms = 0;
    since = doc.hidden ? 0 : now();
    sent = '';
    forms();
  }

  const commands: Record<string, (...a: never[]) => unknown> = {
    track: (name: string, p?: Props) =>
      ev('track', { name: String(name).slice(0, 200), properties: obj(p) }),
    page: () => pageview(1),
    identify: (t: Props) => {
      const traits = obj(t) || {};
      who(traits);
      ev('identify', { traits });
    },
    consent: (v: string) => {
      st.c = v === 'granted' ? 1 : undefined;
      if (st.c) {
        sync();
        persist().then(s.flush);
        forms();
      } else {
        // Denied: what memory holds goes, and ids stored by an earlier grant are removed.
        forget();
        if (readCookie() || load().id) save();
      }
    },
    reset: () =>
      sync(() => {
        st = { id: rnd(), c: st.c };
      }),
    form: (id: string) => mountForms(host, String(id)),
  };

  /** The page-facing command function: one result shape, never throws. */
  function command(name: string, ...args: unknown[]): Result {
    try {
      const f = commands[name];
      if (!f) throw 'unknown-command';
      f(...(args as never[]));
      return { ok: true };
    } catch (e) {
      console.warn('touchpoint:', name, e);
      return { ok: false, error: { code: String(e) } };
    }
  }

  if (st.c) persist();
  addEventListener('visibilitychange', () => doc.hidden && hide());
  addEventListener('pagehide', hide);
  addEventListener('pageshow', (e) => e.persisted && pageview(1));
  addEventListener('scroll', tick, { passive: true });
  addEventListener(
    'click',
    (e) => {
      const t = e.target as Element;
      const x = t.closest?.('[data-tp-event]');
      if (x) ev('click', { name: x.getAttribute('data-tp-event')! });
      const a = t.closest?.('a[href]') as HTMLAnchorElement | null;
      const dl =
        a &&
        /\.(pdf|zip|docx?|xlsx?|pptx?|csv|dmg|exe|pkg|msi|mp[34]|rar|7z|gz)$/i.test(a.pathname);
      if (a && (dl || (/^http/.test(a.protocol) && a.host !== location.host)))
        ev('click', { name: dl ? 'download' : 'outbound', properties: { href: clean(a.href) } });
    },
    true,
  );
  if (cfg.spa !== 'false') watchHistory(pageview);
  return { command, pageview };
}
