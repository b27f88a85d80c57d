// Hub for live updates: services' callers publish (after their commit), /api/events streams them as
// Server-Sent Events to every open screen. Several instances bridge their hubs through a transport
// (src/server/event-transports: PostgreSQL LISTEN/NOTIFY or Redis pub/sub): what is published here
// goes out as topic and ids only, every other instance describes it itself (its describers run on
// the receiving side) and hands it to its own streams; an instance ignores its own echo. A lost
// transport connection comes back with a local 'resync' (screens refetch: events may be lost).
// A stream lives no longer than the session that opened it: the auth feature reports ended
// sessions here (passed on to the other instances too), and each stream rechecks its session now
// and then (expiry, idle timeout, a sign-out on another instance).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodeTransportMessage, encodeTransportMessage, type EventTransport, type TransportLog } from './event-transports/transport.js';

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

/** The topic of the event a hub gives its own listeners after its transport came back: refetch everything. */
export const RESYNC_TOPIC = 'resync';

type Listener = (event: LiveEvent & { at: number }) => void;

export class EventHub {
  /** names this instance in what it sends, so it can ignore its own echo */
  readonly instanceId = randomUUID();
  private readonly emitter = new EventEmitter();
  private transport: EventTransport | null = null;
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
  /**
   * Bridges this hub to the other instances' through `transport` (connected here): what is published
   * here goes out, what they publish comes in. Resolves once it is connected.
   */
  async connect(transport: EventTransport, log: TransportLog): Promise<void> {
    this.transport = transport;
    await transport.start({
      deliver: (payload) => this.receive(payload, log),
      // events may have been missed while the connection was down: every screen here refetches, and
      // every other instance's too when some of ours could not be sent
      reconnected: (dropped) => {
        this.emitResync();
        if (dropped) transport.send(encodeTransportMessage({ origin: this.instanceId, kind: 'resync' }));
      },
      log,
    });
  }

  /** Ends the transport (the hub goes on in-process). */
  async disconnect(): Promise<void> {
    const transport = this.transport;
    this.transport = null;
    await transport?.close();
  }

  get transportName(): string {
    return this.transport?.name ?? 'inprocess';
  }

  /** Publishes to this instance's listeners and, through the transport, to the other instances'. */
  publish(event: LiveEvent): void {
    this.deliver(event, false);
    this.transport?.send(encodeTransportMessage({ origin: this.instanceId, kind: 'event', topic: event.topic, data: event.data }));
  }

  /** A message from the transport: another instance's event (described here) or ended sessions; our own echo is ignored. */
  private receive(payload: string, log: TransportLog): void {
    const message = decodeTransportMessage(payload);
    if (message === null) {
      log.warn(`live events: ignored a malformed transport message (${payload.slice(0, 80)})`);
      return;
    }
    if (message.origin === this.instanceId) return;
    if (message.kind === 'event') this.deliver({ topic: message.topic, data: message.data }, true);
    else if (message.kind === 'session-end') this.emitter.emit('session-end', message.end);
    else this.emitResync();
  }

  private emitResync(): void {
    this.deliver({ topic: RESYNC_TOPIC }, true);
  }

  /** Describes (when a describer is set) and hands the event to the listeners, in publication order. */
  private deliver(event: LiveEvent, remote: boolean): void {
    const describer = this.describers.get(event.topic);
    if (!describer && this.queued === 0) {
      this.emitter.emit('event', { ...event, at: Date.now() }, remote);
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
          this.emitter.emit('event', described === undefined ? { topic: event.topic, at: publishedAt } : { topic: event.topic, data: described, at: publishedAt }, remote);
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
  /** Every event: published here, by another instance, and 'resync' after the transport came back (what screens follow). */
  subscribe(listener: Listener): () => void {
    const handler = (event: LiveEvent & { at: number }) => listener(event);
    this.emitter.on('event', handler);
    return () => this.emitter.off('event', handler);
  }
  /**
   * The events published on this instance only: for followers that do work once per change (the
   * forecast recorder), which the publishing instance's follower does — not once per instance.
   */
  readonly local = {
    subscribe: (listener: Listener): (() => void) => {
      const handler = (event: LiveEvent & { at: number }, remote: boolean) => {
        if (!remote) listener(event);
      };
      this.emitter.on('event', handler);
      return () => this.emitter.off('event', handler);
    },
  };
  get listenerCount(): number {
    return this.emitter.listenerCount('event');
  }
  /** Tells the open streams of these sessions to end (never sent to other streams). */
  endSessions(end: SessionEnd): void {
    this.emitter.emit('session-end', end);
    // the other instances' streams of these sessions end at once too (not at their next recheck)
    this.transport?.send(encodeTransportMessage({ origin: this.instanceId, kind: 'session-end', end }));
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
      if (device && !TV_TOPICS.has(event.topic) && event.topic !== RESYNC_TOPIC) return;
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
