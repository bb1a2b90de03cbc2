/** The dashboard shell: sign-in gate, navigation and the page of the current route. */
import { Fragment } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { storedKey, storeKey, whenUnauthorized } from './api.ts';
import { lang, messages, onLang } from './i18n.ts';
import { LanguageSwitch } from './lang-switch.tsx';
import { FormEditorPage } from './pages/form-editor.tsx';
import { LeadPage } from './pages/lead.tsx';
import { LeadsPage } from './pages/leads.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { ScoringEditorPage } from './pages/scoring-editor.tsx';
import { SetupPage } from './pages/setup.tsx';
import { VisitorPage, VisitorsPage } from './pages/visitors.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';
import { href, useRoute } from './router.ts';
import { SignIn } from './sign-in.tsx';
import { focusNextHeading } from './ui.tsx';

const t = messages({
  Leads: 'Khách hàng tiềm năng',
  Visitors: 'Khách truy cập',
  Reports: 'Báo cáo',
  'Forms & scoring': 'Biểu mẫu & chấm điểm',
  Webhooks: 'Webhook',
  Sections: 'Các mục',
  'Skip to content': 'Chuyển đến nội dung',
  'Sign out': 'Đăng xuất',
});

const NAV = [
  ['leads', 'Leads'],
  ['visitors', 'Visitors'],
  ['reports', 'Reports'],
  ['setup', 'Forms & scoring'],
  ['webhooks', 'Webhooks'],
] as const;

export function App() {
  const [key, setKey] = useState(storedKey);
  const route = useRoute();
  // A change of language redraws every page (each text is read at render time); the key keeps
  // pages' state (filters, drafts) as it was.
  const [, setShownLang] = useState(lang);
  useEffect(() => {
    document.documentElement.lang = lang();
    return onLang(setShownLang);
  }, []);
  useEffect(() => whenUnauthorized(() => setKey(null)), []);
  const [section = 'leads', id] = route.parts;
  const nav = useRef<HTMLElement>(null);
  // On a phone the sections scroll sideways in one line: the current one is brought into view.
  useLayoutEffect(() => {
    const box = nav.current;
    const link = box?.querySelector('[aria-current="page"]');
    if (!box || !link) return;
    const n = box.getBoundingClientRect();
    const l = link.getBoundingClientRect();
    if (l.left < n.left || l.right > n.right)
      box.scrollLeft += l.left - n.left - (n.width - l.width) / 2;
  }, [section, key]);
  // The key says which page shows: new filters on the same page are not a new page.
  const [pageKey, page] =
    section === 'leads' && id
      ? [`lead/${id}`, <LeadPage id={id} />]
      : section === 'visitors'
        ? id
          ? [`visitor/${id}`, <VisitorPage id={id} />]
          : ['visitors', <VisitorsPage params={route.params} />]
        : section === 'reports'
          ? ['reports', <ReportsPage params={route.params} />]
          : section === 'setup'
            ? setupPage(id, route.parts[2])
            : section === 'webhooks'
              ? ['webhooks', <WebhooksPage />]
              : ['leads', <LeadsPage params={route.params} />];
  const shown = useRef(pageKey);
  // Noted while rendering, so the flag is set before the new page's heading mounts and reads it.
  if (shown.current !== pageKey) {
    shown.current = pageKey;
    focusNextHeading();
  }

  if (!key)
    return (
      <SignIn
        onSignedIn={(k) => {
          storeKey(k);
          focusNextHeading();
          setKey(k);
          if (!location.hash) location.hash = '#/leads';
        }}
      />
    );

  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is a link to #main; the handler only keeps the route in the URL (the router ignores #main anyway). */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // Focus moves into the page; the hash (which holds the route) stays as it is.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('Skip to content')}
      </a>
      <header class="top">
        <strong class="brand">Touchpoint</strong>
        <nav ref={nav} aria-label={t('Sections')}>
          {NAV.map(([s, label]) => (
            <a key={s} href={href([s])} aria-current={section === s ? 'page' : undefined}>
              {t(label)}
            </a>
          ))}
        </nav>
        <LanguageSwitch />
        <button
          type="button"
          class="link"
          onClick={() => {
            storeKey(null);
            setKey(null);
          }}
        >
          {t('Sign out')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {/* Keyed: another page (or another lead, another form) starts from fresh state. */}
        <Fragment key={pageKey}>{page}</Fragment>
      </main>
    </>
  );
}

/** `#/setup`, `#/setup/forms/ID`, `#/setup/new-form`, `#/setup/scoring`: key and page. */
function setupPage(part: string | undefined, id: string | undefined) {
  if (part === 'forms' && id) return [`form/${id}`, <FormEditorPage id={id} />] as const;
  if (part === 'new-form') return ['form/new', <FormEditorPage />] as const;
  if (part === 'scoring') return ['scoring', <ScoringEditorPage />] as const;
  return ['setup', <SetupPage />] as const;
}
