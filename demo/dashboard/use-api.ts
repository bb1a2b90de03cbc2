/** `useApi(path)`: data, error and loading state of one GET, refetched when the path changes. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';

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
