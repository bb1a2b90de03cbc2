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

type State<T> = Omit<Loaded<T>, 'reload'>;

export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<State<T>>({ data: null, error: null, loading: !!path });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!path) {
      // No path, nothing to show (not what the last path loaded).
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    api<T>(path).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (e: unknown) =>
        live &&
        setState({
          data: null,
          error: e instanceof ApiError ? e : new ApiError(0, String(e)),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [path, round]);
  return { ...state, reload: () => setRound((n) => n + 1) };
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
  const [state, setState] = useState<Omit<Pages<T>, 'more'>>({
    rows: [],
    next: null,
    error: null,
    loading: true,
    loaded: false,
  });
  const current = useRef(base);
  const load = async (cursor: string | null) => {
    const asked = base;
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api<{ data: T[]; nextCursor: string | null }>(
        `${path}${query({ ...params, cursor })}`,
      );
      if (current.current !== asked) return;
      setState((s) => ({
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
    current.current = base;
    setState({ rows: [], next: null, error: null, loading: true, loaded: false });
    void load(null);
  }, [base]);
  return { ...state, more: () => state.next && void load(state.next) };
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
