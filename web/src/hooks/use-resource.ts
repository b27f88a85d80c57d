// Loads something from the API, keeps it fresh from live events, and exposes loading and error
// states. While a refetch runs the last data stays on screen, so live updates never flash a spinner.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveTopics } from './live-events.js';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  /** true until the first answer (or error) arrives for the current arguments */
  loading: boolean;
  reload: () => Promise<void>;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], liveTopics: readonly string[] = []): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const latestRequest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const request = ++latestRequest.current;
    try {
      const data = await loadRef.current();
      // an answer to an older request (arguments changed meanwhile) must not overwrite a newer one
      if (request === latestRequest.current) setState({ data, loading: false });
    } catch (error) {
      if (request === latestRequest.current) setState((previous) => ({ data: previous.data, error: error as Error, loading: false }));
    }
  }, []);

  useEffect(() => {
    setState((previous) => ({ data: previous.data, loading: true }));
    void reload();
    // `deps` are the arguments `load` closes over: a new week, a new key → a new request
  }, deps);

  useLiveTopics(liveTopics, () => void reload());
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
