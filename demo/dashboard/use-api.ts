/**
 * `useApi(path)`: data, error and loading state of one GET, refetched when the path changes;
 * `usePages(path)`: a cursor-paged list read a page at a time; `useFormNames()`: forms by name.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, query } from './api.ts';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** Fetches again (after a change this page made). */
  reload(): void;
}

/** What a request answered: `to` names it (its path and reload round). */
interface Answer<T> {
  to: string | null;
  data: T | null;
  error: ApiError | null;
}

export function useApi<T>(path: string | null): Loaded<T> {
  const [round, setRound] = useState(0);
  // The request this render asks for, known while rendering: from the render that changes the
  // path, not from its effect (a frame or more later), the data is loading and an answer to an
  // earlier path is dropped. Else, in between, the last path's data shows as this one's, loaded
  // (a list not aria-busy, its count in the status), and an answer to it landing then is kept.
  const asked = path === null ? null : `${round} ${path}`;
  const latest = useRef(asked);
  latest.current = asked;
  const [answer, setAnswer] = useState<Answer<T>>({ to: null, data: null, error: null });
  useEffect(() => {
    if (!path) {
      // No path, nothing to show (not what the last path loaded).
      setAnswer({ to: null, data: null, error: null });
      return;
    }
    let live = true;
    const take = (a: Answer<T>) => live && latest.current === asked && setAnswer(a);
    api<T>(path).then(
      (data) => take({ to: asked, data, error: null }),
      (e: unknown) =>
        take({
          to: asked,
          data: null,
          error: e instanceof ApiError ? e : new ApiError(0, String(e)),
        }),
    );
    return () => {
      live = false;
    };
  }, [path, round]);
  const reload = () => setRound((n) => n + 1);
  if (path === null) return { data: null, error: null, loading: false, reload };
  const answered = answer.to === asked;
  // While the next answer is on its way, the last one's data stays on screen (marked busy).
  return { data: answer.data, error: answered ? answer.error : null, loading: !answered, reload };
}

/** A cursor-paged list (`{ data, nextCursor }`) as far as it has been read. */
export interface Pages<T> {
  rows: T[];
  /** The cursor of the next page; null at the end. */
  next: string | null;
  error: ApiError | null;
  /** A page is being read. */
  loading: boolean;
  /** The first page has been answered (rows or error). */
  loaded: boolean;
  /** Reads the next page and appends it. */
  more(): void;
}

/**
 * The first page of `path` with `params`, then more on demand; read again from the start when
 * either changes (an answer for an older path is dropped).
 *
 * @example const subs = usePages<Submission>(`/v1/forms/${id}/submissions`, { limit: 25 });
 */
export function usePages<T>(
  path: string,
  params: Record<string, string | number | undefined> = {},
): Pages<T> {
  const base = `${path}${query(params)}`;
  // `of`: the list (path and params) the state holds.
  const [state, setState] = useState<Omit<Pages<T>, 'more'> & { of: string }>({
    of: base,
    rows: [],
    next: null,
    error: null,
    loading: true,
    loaded: false,
  });
  // Set while rendering, as in useApi: from the render that changes the list, an answer to the
  // last one is dropped and the last one's rows are not shown as this one's.
  const current = useRef(base);
  current.current = base;
  const load = async (cursor: string | null) => {
    const asked = base;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api<{ data: T[]; nextCursor: string | null }>(
        `${path}${query({ ...params, cursor })}`,
      );
      if (current.current !== asked) return;
      setState((s) => ({
        of: asked,
        rows: cursor ? [...s.rows, ...page.data] : page.data,
        next: page.nextCursor,
        error: null,
        loading: false,
        loaded: true,
      }));
    } catch (e) {
      if (current.current !== asked) return;
      const error = e instanceof ApiError ? e : new ApiError(0, String(e));
      setState((s) => ({ ...s, error, loading: false, loaded: true }));
    }
  };
  useEffect(() => {
    setState({ of: base, rows: [], next: null, error: null, loading: true, loaded: false });
    void load(null);
  }, [base]);
  const { of, ...shown } = state;
  if (of !== base)
    return { rows: [], next: null, error: null, loading: true, loaded: false, more: () => {} };
  return { ...shown, more: () => state.next && void load(state.next) };
}

/**
 * The site's forms' names by id (`GET /v1/forms`), for texts that name a form (a timeline, a
 * report, a rule): an id with no form (a deleted one, a name the tag sent) stays as it is.
 *
 * @example const formName = useFormNames(); formName('demo') // 'Book a demo'
 */
export function useFormNames(): (id: string) => string {
  const forms = useApi<{ data: { id: string; name: string }[] }>('/v1/forms');
  const names = new Map((forms.data?.data ?? []).map((f) => [f.id, f.name]));
  return (id) => names.get(id) || id;
}
