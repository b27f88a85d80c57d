// In-process hub for live updates: services' callers publish, /api/events streams them as
// Server-Sent Events to every open screen. (Several instances would bridge this through the
// database's or Redis' pub/sub — DESIGN §7.) A stream lives no longer than the session that opened
// it: the auth feature reports ended sessions here, and each stream rechecks its session now and
// then (expiry, idle timeout, a sign-out on another instance).
import { EventEmitter } from 'node:events';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface LiveEvent {
  /** what changed: 'plant', 'calendar', 'schedule', 'production', … */
  topic: string;
  /** optional detail for listeners that can update in place */
  data?: unknown;
}

/** Why a session ended, for the screen that held it. */
export interface SessionEndReason {
  /** 'signed-out', 'expired', 'idle', 'inactive', 'unknown', 'password-changed', … */
  reason: string;
  /** what the sign-in screen tells the user */
  message: string;
}

/** Sessions that ended: one session (by its id hash), or every session of a user but `exceptIdHash`. */
export type SessionEnd = SessionEndReason & ({ idHash: string } | { userId: number; exceptIdHash?: string });

/** Adds to an event's data what screens need to apply it in place (see EventHub.describe). */
export type EventDescriber = (data: unknown, now: number) => Promise<unknown>;

export class EventHub {
  private readonly emitter = new EventEmitter();
  private readonly describers = new Map<string, EventDescriber>();
  /** where a describer's or a listener's failure on the described path is reported (the app's log) */
  private reportError: (error: unknown) => void = () => undefined;
  /** events waiting for a describer, in order: later events wait behind them so every stream sees the order they were published in */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  /**
   * Events of `topic` get their data from `describer` (given what was published) before they go out:
   * worked out once per event, not per stream. A describer that fails sends the event as published.
   */
  describe(topic: string, describer: EventDescriber | null, onError?: (error: unknown) => void): void {
    if (describer) this.describers.set(topic, describer);
    else this.describers.delete(topic);
    if (onError) this.reportError = onError;
  }
  publish(event: LiveEvent): void {
    const describer = this.describers.get(event.topic);
    if (!describer && this.queued === 0) {
      this.emitter.emit('event', { ...event, at: Date.now() });
      return;
    }
    this.queued++;
    const publishedAt = Date.now();
    const data = describer
      ? describer(event.data, publishedAt).catch((error: unknown) => {
          this.reportError(error);
          return event.data;
        })
      : Promise.resolve(event.data);
    this.queue = this.queue
      .then(() => data)
      .then((described) => {
        this.queued--;
        try {
          this.emitter.emit('event', described === undefined ? { topic: event.topic, at: publishedAt } : { topic: event.topic, data: described, at: publishedAt });
        } catch (error) {
          // a listener that throws must not stop the events behind this one (the sync path throws to the publisher)
          this.reportError(error);
        }
      });
  }
  /** Resolves once every event published so far has gone out. */
  idle(): Promise<void> {
    return this.queue;
  }
  subscribe(listener: (event: LiveEvent & { at: number }) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
  get listenerCount(): number {
    return this.emitter.listenerCount('event');
  }
  /** Tells the open streams of these sessions to end (never sent to other streams). */
  endSessions(end: SessionEnd): void {
    this.emitter.emit('session-end', end);
  }
  onSessionEnd(listener: (end: SessionEnd) => void): () => void {
    this.emitter.on('session-end', listener);
    return () => this.emitter.off('session-end', listener);
  }
}

export interface EventStreamOptions {
  /** how often an open stream reads its session again (expiry, idle, ended on another instance) */
  recheckMs: number;
  /** why the request's session has ended, or null while it is valid (never counts as activity) */
  sessionEnded(request: FastifyRequest): Promise<SessionEndReason | null>;
}

/** An open stream belongs to this ended session (`idHash`: the stream's session, `userId`: its user). */
function endsStream(end: SessionEnd, idHash: string, userId: number): boolean {
  if ('idHash' in end) return end.idHash === idHash;
  return end.userId === userId && end.exceptIdHash !== idHash;
}

/** What a TV screen's stream carries (issue 12 item 3): production, the plan and machine states. */
export const TV_TOPICS: ReadonlySet<string> = new Set(['production', 'schedule', 'machine-state']);

/** The "session" a TV device's streams hold, for `endSessions({ idHash })` when it is revoked. */
export const tvDeviceStreamKey = (id: number) => `tv-device:${id}`;

export function registerEventStream(app: FastifyInstance, hub: EventHub, options: EventStreamOptions): void {
  app.get('/api/events', { config: { permission: 'plant:read', clientGate: false, tvDevice: true }, schema: { hide: true } }, (request, reply) => {
    const session = request.authSession;
    const userId = request.user?.id;
    const device = request.tvDevice !== null;
    // a TV device's stream ends when its token is revoked (the revoke route names it so)
    const deviceKey = request.tvDevice ? tvDeviceStreamKey(request.tvDevice.id) : null;
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write(`retry: 2000\n\n`);
    const unsubscribe = hub.subscribe((event) => {
      if (device && !TV_TOPICS.has(event.topic)) return;
      reply.raw.write(`event: ${event.topic}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    // comments keep proxies and idle timeouts from closing the stream
    const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 20_000);
    let ended = false;
    let stopSessionWatch = () => {};
    const stop = () => {
      ended = true;
      clearInterval(keepAlive);
      unsubscribe();
      stopSessionWatch();
    };
    /** The session is over: say so (the web app then stops reconnecting), then end the response. */
    const endWith = (why: SessionEndReason) => {
      if (ended) return;
      stop();
      reply.raw.end(`event: session-ended\ndata: ${JSON.stringify({ reason: why.reason, message: why.message })}\n\n`);
    };
    if ((session && userId !== undefined) || device) {
      const unlisten = hub.onSessionEnd((end) => {
        if (deviceKey !== null ? 'idHash' in end && end.idHash === deviceKey : endsStream(end, session!.idHash, userId!)) endWith(end);
      });
      let checking = false;
      const recheck = setInterval(() => {
        if (checking || ended) return;
        checking = true;
        options
          .sessionEnded(request)
          .then((why) => {
            if (why) endWith(why);
          })
          // a database hiccup is no reason to end a valid session's stream: the next recheck tries again
          .catch((error: unknown) => request.log.warn({ err: error }, 'could not recheck the session of a live-event stream'))
          .finally(() => {
            checking = false;
          });
      }, options.recheckMs);
      stopSessionWatch = () => {
        unlisten();
        clearInterval(recheck);
      };
    }
    request.raw.on('close', stop);
    reply.hijack();
  });
}
