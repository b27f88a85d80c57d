// Live updates: one EventSource on /api/events per tab, shared by every screen. A screen subscribes
// to the topics it shows ("plant", "calendar", …) and gets each event's data: it applies what it
// can in place (a 'production' event's per-machine deltas) and refetches otherwise. After the
// stream drops and comes back, every listener is called without data (a resync: refetch), because
// events sent in between are lost; so is it on the server's 'resync' (its link to the other
// instances came back).
// The server ends the stream with `session-ended` when the session does (signed out, revoked,
// expired): then there is no reconnecting, and the app's usual 401 path takes the user to sign-in.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/** What a listener gets: the event's data and topic, or null after a reconnect (events may be lost: refetch). */
export type LiveEvent = { topic: string; data: unknown; at: number } | null;
type Listener = (event: LiveEvent) => void;

/** before asking whether the session holds: this tab's own sign-out finishes first (and keeps its notice) */
const CHECK_DELAY_MS = 1000;

class LiveConnection {
  private source: EventSource | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly boundTopics = new Set<string>();
  private hadError = false;
  status: LiveStatus = 'connecting';
  onStatus: (status: LiveStatus) => void = () => {};
  /** the stream was ended for good (session ended, or refused): find out whether the session still holds */
  onEnded: () => void = () => {};

  open(): void {
    const source = new EventSource('/api/events');
    this.source = source;
    source.onopen = () => {
      this.setStatus('live');
      if (this.hadError) {
        this.hadError = false;
        for (const topicListeners of this.listeners.values()) for (const listener of topicListeners) listener(null);
      }
    };
    // EventSource retries by itself (the server asks for 2 s); this only reports the gap.
    source.onerror = () => {
      this.hadError = true;
      this.setStatus('reconnecting');
      // CLOSED: the server refused the stream (a 401 on reconnecting) and EventSource gives up
      if (source.readyState === EventSource.CLOSED) this.ended();
    };
    // the server's link to the other instances came back: events may be lost there too, refetch
    source.addEventListener('resync', () => {
      for (const topicListeners of this.listeners.values()) for (const listener of topicListeners) listener(null);
    });
    // the session is over: stop before EventSource reconnects into a 401
    source.addEventListener('session-ended', () => {
      this.hadError = true;
      this.ended();
    });
    for (const topic of this.listeners.keys()) this.bind(topic);
  }

  close(): void {
    this.source?.close();
    this.source = null;
    this.boundTopics.clear();
  }

  private ended(): void {
    this.close();
    this.onEnded();
  }

  subscribe(topic: string, listener: Listener): () => void {
    let topicListeners = this.listeners.get(topic);
    if (!topicListeners) {
      topicListeners = new Set();
      this.listeners.set(topic, topicListeners);
    }
    topicListeners.add(listener);
    this.bind(topic);
    return () => topicListeners.delete(listener);
  }

  private bind(topic: string): void {
    if (!this.source || this.boundTopics.has(topic)) return;
    this.boundTopics.add(topic);
    this.source.addEventListener(topic, (message) => {
      const event = parseEvent(topic, (message as MessageEvent<string>).data);
      for (const listener of this.listeners.get(topic) ?? []) listener(event);
    });
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.onStatus(status);
  }
}

/** The stream's `{ topic, data, at }` (a malformed one still tells that the topic changed). */
function parseEvent(topic: string, text: string): { topic: string; data: unknown; at: number } {
  try {
    const parsed = JSON.parse(text) as { data?: unknown; at?: unknown };
    return { topic, data: parsed.data, at: typeof parsed.at === 'number' ? parsed.at : Date.now() };
  } catch {
    return { topic, data: undefined, at: Date.now() };
  }
}

const LiveContext = createContext<{ connection: LiveConnection; status: LiveStatus } | null>(null);

export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const [connection] = useState(() => new LiveConnection());
  const [status, setStatus] = useState<LiveStatus>('connecting');
  useEffect(() => {
    let mounted = true;
    let check: ReturnType<typeof setTimeout> | undefined;
    connection.onStatus = setStatus;
    // A 401 here goes through the request guard like any request's: the sign-in screen, with the
    // server's reason. Anything else (a new session in this browser, a server restarting): reopen.
    connection.onEnded = () => {
      clearTimeout(check);
      check = setTimeout(() => {
        if (!mounted) return;
        fetch('/api/auth/me')
          .then((response) => response.status !== 401, () => true)
          .then((reconnect) => {
            if (reconnect && mounted) connection.open();
          });
      }, CHECK_DELAY_MS);
    };
    connection.open();
    return () => {
      mounted = false;
      clearTimeout(check);
      connection.close();
    };
  }, [connection]);
  return <LiveContext.Provider value={{ connection, status }}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext)?.status ?? 'connecting';
}

/**
 * Calls `onChange` whenever the server reports a change on one of `topics`, with the event (its
 * data, for applying in place), or with null after the stream came back (resync: refetch).
 */
export function useLiveTopics(topics: readonly string[], onChange: (event: LiveEvent) => void): void {
  const connection = useContext(LiveContext)?.connection;
  const latest = useRef(onChange);
  latest.current = onChange;
  const topicKey = topics.join(',');
  useEffect(() => {
    if (!connection) return;
    const unsubscribers = topicKey.split(',').filter(Boolean).map((topic) => connection.subscribe(topic, (event) => latest.current(event)));
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [connection, topicKey]);
}
