// Loads something from the API, keeps it fresh from live events, and exposes loading and error
// states. While a refetch runs the last data stays on screen, so live updates never flash a spinner.
// A screen that can apply an event in place passes `apply`: the event then updates the data without
// a request, and only an event it cannot apply (null) — and a resync after a reconnect — refetches.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveTopics, type LiveEvent } from './live-events.js';

/** The data with the event applied, or null when it cannot be (then the resource is fetched again). */
export type ApplyLive<T> = (data: T, event: NonNullable<LiveEvent>) => T | null;

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  /** true until the first answer (or error) arrives for the current arguments */
  loading: boolean;
  reload: () => Promise<void>;
  /** changes the data on screen in place (a partial refresh), without a request */
  update: (change: (data: T) => T) => void;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], liveTopics: readonly string[] = [], apply?: ApplyLive<T>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const latestRequest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const dataRef = useRef<T | undefined>(undefined);
  dataRef.current = state.data;

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

  const update = useCallback((change: (data: T) => T) => {
    setState((previous) => (previous.data === undefined ? previous : { ...previous, data: change(previous.data) }));
  }, []);

  useLiveTopics(liveTopics, (event) => {
    const current = dataRef.current;
    const next = event && current !== undefined && applyRef.current ? applyRef.current(current, event) : null;
    if (next === null) {
      void reload();
      return;
    }
    dataRef.current = next;
    setState((previous) => ({ ...previous, data: next }));
  });
  return { data: state.data, error: state.error, loading: state.loading, reload, update };
}
