/** Hash routes (`#/leads?stage=mql`, `#/leads/ID`, `#/reports`, `#/setup`): no server routing needed. */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  /** Path segments after `#/`: `['leads', 'lead_1']`. */
  parts: string[];
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?');
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(search),
  };
}

/** A hash that names a route; any other (`#main`, an in-page anchor) leaves the route as it is. */
const isRoute = (hash: string) => hash === '' || hash.startsWith('#/');

/** The current route, updated on `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => {
      if (isRoute(location.hash)) setRoute(parseHash(location.hash));
    };
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** A link target for a route. */
export function href(parts: string[], params?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`;
}
