// Stale-while-revalidate for the dashboard: switching windows must feel instant. The answer of a
// view seen before shows at once (from a small in-memory cache) while a fresh one loads; a view not
// seen before keeps the previous view's figures on screen with a spinner instead of blanking.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLiveTopics, type LiveEvent } from '../../hooks/live-events.js';

const CACHE_SIZE = 24;
const cache = new Map<string, unknown>();

function remember(key: string, value: unknown): void {
  cache.delete(key);
  cache.set(key, value);
  // Map keeps insertion order: the first key is the least recently used
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
}

export interface CachedQuery<T> {
  data: T | undefined;
  /** the key `data` belongs to (it may be an older view's while the new one loads) */
  dataKey: string | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` for `key` (null = nothing to load, e.g. no machine picked). `load` closes over
 * what `key` describes; a new key means a new request. Live events on `liveTopics` reload, unless
 * `apply` takes them in place (it answers the new data, or null to reload).
 */
export function useCachedQuery<T>(key: string | null, load: () => Promise<T>, liveTopics: readonly string[] = [], apply?: (data: T, event: NonNullable<LiveEvent>) => T | null): CachedQuery<T> {
  const [state, setState] = useState<{ data?: T; dataKey?: string; error?: Error; loading: boolean }>(() => {
    const cached = key === null ? undefined : (cache.get(key) as T | undefined);
    return { data: cached, dataKey: cached === undefined ? undefined : (key ?? undefined), loading: key !== null };
  });
  const latestRequest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const keyRef = useRef(key);
  keyRef.current = key;
  const applyRef = useRef(apply);
  applyRef.current = apply;
  const shown = useRef(state);
  shown.current = state;

  const reload = useCallback(async () => {
    const requestKey = keyRef.current;
    if (requestKey === null) return;
    const request = ++latestRequest.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await loadRef.current();
      remember(requestKey, data);
      // an answer for an older view (the user moved on meanwhile) must not overwrite a newer one
      if (request === latestRequest.current) setState({ data, dataKey: requestKey, loading: false });
    } catch (error) {
      if (request === latestRequest.current) setState((previous) => ({ ...previous, error: error as Error, loading: false }));
    }
  }, []);

  useEffect(() => {
    if (key === null) {
      latestRequest.current++;
      setState({ loading: false });
      return;
    }
    const cached = cache.get(key) as T | undefined;
    if (cached !== undefined) setState({ data: cached, dataKey: key, loading: true });
    void reload();
  }, [key, reload]);

  useLiveTopics(liveTopics, (event) => {
    const current = shown.current;
    // only to the current view's own answer (an older view's figures on screen are being replaced)
    const next = event && applyRef.current && current.data !== undefined && current.dataKey === keyRef.current ? applyRef.current(current.data, event) : null;
    if (next === null) {
      void reload();
      return;
    }
    if (next === current.data) return;
    const requestKey = keyRef.current;
    if (requestKey !== null) remember(requestKey, next);
    shown.current = { ...current, data: next };
    setState((previous) => (previous.dataKey === requestKey ? { ...previous, data: next } : previous));
  });
  return { data: state.data, dataKey: state.dataKey, error: state.error, loading: state.loading, reload };
}
