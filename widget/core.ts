/**
 * The tag's core: ids, sessions, pageviews, engagement, clicks, delivery, forms hook-up, commands
 * and consent for one site, in one closure (the tag's size budget is 2,560 B gzip). Everything the
 * page calls goes through `command`, which never throws: a failure is a console warning (STYLE 9).
 */
import { captureSelector, type MountForms } from '../shared/forms-host.ts';
import type { Props, WireEvent } from '../shared/wire.ts';
import type { Config } from './config.ts';
import { backoff, campaign, clean, nextSession, uid } from './pure.ts';
import { add, all, del, forget, type Item, mine, persist, stats } from './queue.ts';
import { load, readCookie, registrable, type State, save } from './storage.ts';

type Nav = Navigator & { globalPrivacyControl?: boolean };

/**
 * Starts the tag for `cfg`; returns the command function and the pageview trigger (a pair, not
 * an object: no property names to ship).
 *
 * @example const [command, pageview] = start(config); command('track', 'signup', { plan: 'pro' });
 */
export function start(cfg: Config) {
  const nav: Nav = navigator;
  const doc = document;
  const loc = location;
  const now = Date.now;
  const on = addEventListener;
  const off = cfg.respectDnt !== 'false' && (nav.doNotTrack === '1' || nav.globalPrivacyControl);
  const memOnly = cfg.cookieless != null;
  const required = cfg.consent === 'required';
  let st = load() as State;
  // 2: granted by `consent` (the only grant a consent-required site honours); 1: not required;
  // 0: denied where it was not required (remembered: the next page does not track again).
  if (!required) st.c ??= 1;
  else if (st.c !== 2) st.c = undefined;
  /** Storage may be read: not cookieless, no DNT/GPC. */
  const mayRead = !memOnly && !off;
  /** Ids may be written (cookie, localStorage): consent given too. */
  const keep = () => st.c && mayRead;
  /**
   * 1 during the start-up task, which has just read the stored state: the first pageview and
   * the queued commands need not read it again (each storage and cookie read is a synchronous
   * trip to the browser; other tabs' changes reach a page between tasks).
   */
  let fresh = 1;
  queueMicrotask(() => {
    fresh = 0;
  });
  /**
   * Takes what other tabs changed (session, identity, consent), runs `f`, stores the result. A
   * consent-required site's consent is what storage says: another tab's denial removed it, and
   * a grant there is one here.
   */
  const sync = (f?: () => void) => {
    if (mayRead && !fresh) {
      const had = st.c;
      const l = load();
      st = { ...st, ...l, id: readCookie() || st.id };
      if (required) st.c = l.c;
      // Denied in another tab: this one stores nothing more either; granted there: this one
      // stores what it holds and what comes next (not only in memory until its next page).
      if (had && !st.c) forget();
      else if (!had && st.c) persist();
    }
    f?.();
    if (keep()) save(st);
  };
  // The cookie wins over its localStorage mirror (it is shared by every subdomain). Stored by
  // the first pageview's `sync`, in this same task.
  st.id = (!memOnly && (readCookie() || st.id)) || uid();

  // ---- Delivery: batches of ≤ 50 events / 60 KB to /v1/collect, one request per submission,
  // items removed only after a 202; backoff with full jitter ≤ 5 min, Retry-After on 429, other
  // 4xx dropped with a warning; one tab at a time (navigator.locks). Do Not Track stops events
  // at the source; form submissions the visitor makes still go.
  let sending: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  let tries = 0;
  let until = 0;
  /** The first request for `list` (oldest first): how many items it carries, URL, body. */
  const request = (list: Item[]) => {
    const [x] = list;
    // Form ids are slugs (`[a-z0-9_-]`): nothing to encode.
    if (x!.f)
      return [
        1,
        `${cfg.host}/v1/forms/${x!.f}/submissions`,
        // `f` goes along: the collector ignores what it does not know (and `f` costs no bytes here).
        JSON.stringify(x),
      ] as const;
    let size = 0;
    let stop: unknown;
    // Events up to the next submission, at most 50 and 20,000 characters: at most 60 KB of
    // UTF-8 whatever the script (the body limit is 64 KB). The first one always goes. Once
    // stopped, `||=` evaluates nothing more: the rest of a long queue is not serialized.
    const events = list.filter(
      // biome-ignore lint/suspicious/noAssignInExpressions: the size is counted only until the batch is full
      (y, i) => !(stop ||= y.f || i > 49 || ((size += JSON.stringify(y).length * 3) > 6e4 && i)),
    );
    const n = events.length;
    return [
      n,
      `${cfg.host}/v1/collect`,
      JSON.stringify({ site: cfg.site, sentAt: now(), events }),
    ] as const;
  };
  /**
   * What may be sent: everything with consent; without it only form submissions — what a visitor
   * sends on purpose goes (as under Do Not Track), the tracking waits for the grant.
   */
  const sendable = (list: Item[]) => list.filter((x) => st.c || x.f);
  const run = async () => {
    // `del` answers the queue as it is after the removal: no second read per batch.
    // biome-ignore lint/suspicious/noAssignInExpressions: each queue read is narrowed to what may go
    for (let list = await all(); (list = sendable(list))[0]; ) {
      const [n, url, body] = request(list);
      // A request the network never answers gives up after 30 s: it holds the lock every tab
      // sends under. (`?.`: browsers before 2022 lack `AbortSignal.timeout`; they wait.)
      const r = await fetch(url, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout?.(3e4),
      }).catch(() => {});
      const s = r?.status;
      // Only the collector's 202 delivers, and only a 4xx other than 408 and 429 never will
      // (dropped with a warning); anything else is retried: a network error (no status), 5xx, a
      // 200 or a redirect from a captive portal or a misrouted proxy. (`test` reads it as text.)
      if (s !== 202 && !/^4(?!08|29)/.test(s as never)) {
        const wait =
          (s === 429 && +r!.headers.get('retry-after')! * 1e3) || backoff(tries++, Math.random());
        until = now() + wait;
        setTimeout(flush, wait + 9);
        return;
      }
      if (s !== 202) console.warn('touchpoint:', s, url);
      // The collector says a popup, slide-in or bar targets the page just counted.
      else if (r!.headers.get('touchpoint-forms')) showForms();
      tries = 0;
      list = await del(list.slice(0, n).map((y) => y.id));
    }
  };
  /**
   * Sends what is queued, unless backoff pauses sending or another tab is sending it. Runs one
   * at a time, each after the one before; a call while a run is already waiting adds nothing
   * (that run reads the queue when it starts), so a burst of events reads IndexedDB once.
   */
  const flush = () => {
    if (waiting) return;
    waiting = 1;
    sending = sending
      // The tab holding the lock drains the shared queue, this page's items included; a tab
      // refused it asks again in 5 s (the holder may close before reaching this tab's items).
      // Where locks are refused (a cross-site iframe without storage access), send without one.
      .then((): unknown => {
        waiting = 0;
        return (
          now() >= until &&
          (nav.locks
            ?.request('tp', { ifAvailable: true }, (l) => (l ? run() : setTimeout(flush, 5e3)))
            .catch(run) ||
            run())
        );
      })
      .catch(console.warn);
  };
  /**
   * Items of a page going into the back-forward cache: only beaconed (`mine`), stored when the
   * page is shown again. An IndexedDB write or a lock request in a page being frozen makes the
   * browser evict it: every back or forward to a page with the tag would load it anew.
   */
  let held: Item[] | 0 = 0;
  // Idle, but within 2 s: a busy or background page still gets its events out.
  const enqueue = (it: Item) =>
    held
      ? held.push(it) && mine.push(it)
      : add(it).then(() =>
          ((self.requestIdleCallback || setTimeout) as typeof setTimeout)(flush, {
            timeout: 2e3,
          } as never),
        );

  const sid = (c?: string) => {
    sync(() => {
      st.s = nextSession(st.s, now(), c, uid);
    });
    return st.s!.i;
  };
  const ev = (type: WireEvent['type'], x: Partial<WireEvent>, c?: string) => {
    if (off) return;
    const e = {
      id: uid(),
      type,
      // The session first: `sid` takes what other tabs stored, the id included. Engagement
      // belongs to the session its page was viewed in: read on leaving after 30 idle minutes,
      // it must not start one.
      sessionId: type === 'engagement' ? st.s?.i : sid(c),
      anonymousId: st.id,
      timestamp: now(),
      url: clean(loc.href),
      ...x,
      // Automation is a flag for the collector's bot policy, never a reason to drop (DESIGN §9).
      properties: {
        ...x.properties,
        webdriver: nav.webdriver || undefined,
        dropped: stats.dropped || undefined,
      },
    };
    stats.dropped = 0;
    // A JSON round trip: what is queued is exactly what will be sent (and cannot fail later).
    enqueue(JSON.parse(JSON.stringify(e)));
  };

  /**
   * A new person on this browser: a new anonymous id, and no session or identity of the last
   * one, written out (a merge in another tab must not bring them back).
   */
  const person = () => {
    st = { id: uid(), c: st.c, s: 0 as never, e: '', u: '' };
  };
  /**
   * A different person identifying on this browser gets a new anonymous id (DESIGN §7.4). The
   * placeholders the collector ignores (`undefined`, `null`, `0`… DESIGN §7) are no one: an app
   * identifying with `String(user?.id)` before its user loads is not a first person. After the
   * check each remembered value is empty or equal to the new one, so `||=` records it.
   */
  const who = (t: Props) =>
    sync(() => {
      const [e, u] = [t.email || '', t.userId ?? ''].map((v) =>
        `${v}`.trim().replace(/^(null|undefined|anonymous|0|-1|\[object object\]|nan|none)$/i, ''),
      ) as [string, string];
      const m = e.toLowerCase();
      if ((m && st.e && m !== st.e) || (u && st.u && u !== st.u)) person();
      st.e ||= m;
      st.u ||= u;
    });

  // ---- Forms: the chunk (`tp-forms.js`) is imported only when a form will show: a placeholder
  // or a site form to capture is on the page, the collector's answer says a popup, slide-in or
  // bar targets it, or the page asks. A page without forms loads nothing.
  let chunk: Promise<{ mount: MountForms }> | undefined;
  /**
   * Imports the chunk once and mounts it (the chunk starts once; `id` shows that form now, a call
   * without one applies targeting again when the route changed). The forms host goes
   * positionally: the settings, then the functions in `HostFns` order.
   */
  const showForms = (id?: string) => {
    chunk ||= import(/* @vite-ignore */ `${cfg.host}/tp-forms.js`);
    chunk
      .then((m) =>
        m.mount(
          cfg,
          id,
          () => st.id,
          sid,
          ev,
          enqueue,
          who,
          () => !st.c || off,
        ),
      )
      .catch(console.warn);
  };
  const formsInPage = () =>
    doc.querySelector(`[data-tp-form],${captureSelector(cfg)}`) && showForms();

  // ---- The current page: route (the URL without its fragment, unless the fragment is a hash
  // router's route: `#/…`, `#!/…`), URL (emails stripped), max scroll %, visible ms, what was
  // last sent.
  let route = '';
  let page = '';
  let scroll = 0;
  let ms = 0;
  let since = 0;
  let sent = '';
  /**
   * Adds the visible time since the last tick; with `depth` (a scroll event, a hide, a route
   * about to change) also measures how far down the page has been seen.
   */
  const tick = (depth?: unknown) => {
    if (depth)
      scroll = Math.max(
        scroll,
        Math.round(((scrollY + innerHeight) / doc.documentElement.scrollHeight) * 100),
      );
    ms += since && now() - since;
    since = doc.hidden ? 0 : now();
  };
  /**
   * Engagement of the page, sent when it changed: on hide (`depth` measured then), and before
   * the next route (measured by the history hook before the router renders the next page).
   */
  const engagement = (depth?: unknown) => {
    // No page yet (the first pageview): nothing to measure, and reading the page's height now
    // would force a layout while the page loads.
    if (!page) return;
    tick(depth);
    const sig = `${scroll},${Math.round(ms / 1e3)}`;
    if (sig !== sent) {
      sent = sig;
      ev('engagement', { url: page, properties: { scroll, engagedMs: ms } });
    }
  };
  /** On hide: engagement, then this page's undelivered items to sendBeacon (ids dedupe). */
  const hide = () => {
    engagement(1);
    for (let list = sendable(mine); list[0]; ) {
      const [n, url, body] = request(list);
      nav.sendBeacon(url, body);
      list = list.slice(n);
    }
  };

  /** Counts a pageview when the route changed, or always with `force`. */
  const pageview = (force?: unknown) => {
    const r = loc.href.replace(/#(?![!/]).*/, '');
    if (force || r !== route) {
      engagement();
      const ref = page || clean(doc.referrer);
      ev(
        'pageview',
        { referrer: ref, title: doc.title },
        // No registrable domain (localhost, an intranet name): the host is the site.
        campaign(loc.href, page ? '' : ref, (keep() && registrable()) || loc.hostname),
      );
      route = r;
      page = clean(loc.href);
      scroll = ms = 0;
      sent = '';
      // Not tick(): reading the page's height now would force a layout while the page loads;
      // the scroll depth is measured on scroll and when the page is hidden.
      since = doc.hidden ? 0 : now();
      // Once the chunk runs, each route counted applies its targeting again (no request).
      chunk ? showForms() : formsInPage();
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
      if (v === 'granted') {
        // Set after `sync`, which takes a consent-required site's consent from storage.
        sync(() => {
          st.c = 2;
        });
        persist().then(flush);
      } else {
        // Denied: what memory holds goes, and the ids stored by an earlier grant, here or on
        // another subdomain (the cookie), are removed. A site that does not require consent
        // keeps the denial, or its next page would track again; one that does stores nothing.
        st.c = required ? undefined : 0;
        forget();
        save(required ? undefined : { c: 0 });
      }
    },
    reset: () => sync(person),
    form: showForms,
  };

  /**
   * The page-facing command function: never throws, answers nothing; a failure (an unknown
   * command included) is a console warning. Warnings rather than result values: the page has
   * nothing to do with them, and they cost the tag's budget less.
   */
  const command = (name: string, ...args: unknown[]): void => {
    try {
      (commands[name] as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      console.warn('touchpoint:', name, e);
    }
  };

  if (st.c) persist();
  // An async tag can run before the body is parsed: look for forms again once it is.
  on('DOMContentLoaded', formsInPage);
  on('online', () => {
    until = tries = 0;
    flush();
  });
  // Visible again: the visible time counts from now.
  on('visibilitychange', () => (doc.hidden ? hide() : tick()));
  on('pagehide', (e) => {
    if (e.persisted) held = [];
    hide();
  });
  // Back from the back-forward cache: what it held is stored, then the page counts again.
  on('pageshow', (e) => {
    if (e.persisted) {
      for (const it of held || []) add(it, 1);
      held = 0;
      pageview(1);
    }
  });
  // Not `passive`: scroll events cannot be cancelled, so the option changes nothing for them.
  on('scroll', tick);
  /** A click, or a middle-click (a link opened in a new tab fires `auxclick`, not `click`). */
  const clicked = (e: MouseEvent) => {
    const t = e.target as HTMLElement;
    const x = t.closest?.<HTMLElement>('[data-tp-event]');
    const a = t.closest?.('a');
    // `test(undefined)` is false: no link, no download.
    const dl = /\.(pdf|zip|(doc|xls|ppt)x?|csv|dmg|exe|mp[34])$/i.test(a?.pathname as string);
    if (x) ev('click', { name: x.dataset.tpEvent });
    // A link's host is empty for mailto:, tel: and javascript: — not outbound.
    if (dl || (a?.host && a.host !== loc.host))
      ev('click', { name: dl ? 'download' : 'outbound', properties: { href: clean(a!.href) } });
  };
  on('click', clicked, true);
  on('auxclick', (e) => e.button === 1 && clicked(e), true);
  // SPA navigation: after the router's own work (title, DOM) of this tick; `pageview` decides
  // whether the route really changed, so hash-only changes (but a hash router's `#/route`) and
  // same-route replaceState count nothing.
  if (cfg.spa !== 'false') {
    for (const m of ['pushState', 'replaceState'] as const) {
      const orig = history[m];
      history[m] = function (this: History, ...a: Parameters<History['pushState']>) {
        // How far the page being left was seen, before the router renders the next one.
        tick(1);
        orig.apply(this, a);
        setTimeout(pageview);
      };
    }
    on('popstate', () => setTimeout(pageview));
  }
  return [command, pageview] as const;
}
