// What a live-event transport carries between instances, and the shape of a transport. A message is
// small on purpose: the topic and the ids of what changed (a work order's lot, a machine's key) —
// every receiving instance describes the event itself (per-machine deltas of production events)
// from its own database, as the publishing instance does. PostgreSQL's NOTIFY takes at most 8000
// bytes: an event whose data would not fit goes out as its topic alone (screens refetch).
import type { SessionEnd } from '../events.js';

export interface TransportLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type TransportMessage =
  | { origin: string; kind: 'event'; topic: string; data?: unknown }
  | { origin: string; kind: 'session-end'; end: SessionEnd }
  /** the sender lost messages it meant to send (its connection was down): everyone refetches */
  | { origin: string; kind: 'resync' };

export interface TransportHandlers {
  /** one message as sent by an instance (this one's echo included: the hub drops it) */
  deliver(payload: string): void;
  /** the connection came back after a loss: what arrived meanwhile is lost, and so is what was sent when `dropped` */
  reconnected(dropped: boolean): void;
  log: TransportLog;
}

export interface EventTransport {
  readonly name: 'postgres' | 'redis';
  /** connects and subscribes; resolves once messages are received (rejects when the first connection fails) */
  start(handlers: TransportHandlers): Promise<void>;
  /** sends without waiting; a message that cannot be sent now is dropped and the others are told to resync once connected again */
  send(payload: string): void;
  close(): Promise<void>;
}

/** Largest payload sent (PostgreSQL NOTIFY refuses 8000 bytes and more). */
export const MAX_PAYLOAD_BYTES = 7900;

export function encodeTransportMessage(message: TransportMessage): string {
  const wire =
    message.kind === 'event'
      ? { o: message.origin, k: 'e', t: message.topic, ...(message.data === undefined ? {} : { d: message.data }) }
      : message.kind === 'session-end'
        ? { o: message.origin, k: 's', e: message.end }
        : { o: message.origin, k: 'r' };
  const text = JSON.stringify(wire);
  if (Buffer.byteLength(text) <= MAX_PAYLOAD_BYTES || message.kind !== 'event') return text;
  // too much detail for the wire: the topic alone still tells every screen to refetch it
  return JSON.stringify({ o: message.origin, k: 'e', t: message.topic });
}

/** The message in a payload, or null when it is not one of ours. */
export function decodeTransportMessage(payload: string): TransportMessage | null {
  let wire: unknown;
  try {
    wire = JSON.parse(payload);
  } catch {
    return null;
  }
  if (wire === null || typeof wire !== 'object') return null;
  const { o, k, t, d, e } = wire as Record<string, unknown>;
  if (typeof o !== 'string') return null;
  if (k === 'e' && typeof t === 'string' && t.length > 0) return d === undefined ? { origin: o, kind: 'event', topic: t } : { origin: o, kind: 'event', topic: t, data: d };
  if (k === 's' && isSessionEnd(e)) return { origin: o, kind: 'session-end', end: e };
  if (k === 'r') return { origin: o, kind: 'resync' };
  return null;
}

function isSessionEnd(value: unknown): value is SessionEnd {
  if (value === null || typeof value !== 'object') return false;
  const end = value as Record<string, unknown>;
  if (typeof end.reason !== 'string' || typeof end.message !== 'string') return false;
  return typeof end.idHash === 'string' || typeof end.userId === 'number';
}

/** Reconnect delays: 250 ms doubling up to 5 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5000);
}
