/** The dashboard shell: sign-in gate, navigation and the page of the current route. */
import { useEffect, useState } from 'preact/hooks';
import { storedKey, storeKey, whenUnauthorized } from './api.ts';
import { LeadPage } from './pages/lead.tsx';
import { LeadsPage } from './pages/leads.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { SetupPage } from './pages/setup.tsx';
import { href, useRoute } from './router.ts';
import { SignIn } from './sign-in.tsx';

const NAV = [
  ['leads', 'Leads'],
  ['reports', 'Reports'],
  ['setup', 'Forms & scoring'],
] as const;

export function App() {
  const [key, setKey] = useState(storedKey);
  const route = useRoute();
  useEffect(() => whenUnauthorized(() => setKey(null)), []);

  if (!key)
    return (
      <SignIn
        onSignedIn={(k) => {
          storeKey(k);
          setKey(k);
          if (!location.hash) location.hash = '#/leads';
        }}
      />
    );

  const [section = 'leads', id] = route.parts;
  const page =
    section === 'leads' && id ? (
      <LeadPage id={id} />
    ) : section === 'reports' ? (
      <ReportsPage params={route.params} />
    ) : section === 'setup' ? (
      <SetupPage />
    ) : (
      <LeadsPage params={route.params} />
    );

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <strong class="brand">Touchpoint</strong>
        <nav aria-label="Sections">
          {NAV.map(([s, label]) => (
            <a key={s} href={href([s])} aria-current={section === s ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="link"
          onClick={() => {
            storeKey(null);
            setKey(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
