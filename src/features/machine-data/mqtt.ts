// Live machine data over MQTT: each machine publishes camera CSV lines (one or more per message)
// to <prefix>/<machine>/cycles with QoS 1. A message is stored in one transaction — cycles,
// derived rows, its dedupe keys and the stream's ledger row — and only then acknowledged (mqtt.js
// customHandleAcks), so a crash before the commit makes the broker redeliver it (persistent
// session) and a redelivery after the commit is recognised by the per-machine message ledger:
// by the MQTT 5 user property "id" / "messageId" when the publisher sets one, else by the content
// hash of each line (a camera line carries a millisecond timestamp: the same line twice is the
// same cycle).
//
// mqtt.js hands over one packet at a time and waits for the acknowledgement, so messages are stored
// in arrival order; a database outage holds the stream (the broker keeps the messages) and is retried.
//
// Several instances (`shared`): each subscribes as a member of the shared subscription
// $share/qmfg/<prefix>/+/cycles (MQTT 5) and the broker hands each message to one member, in no order
// across members. A publisher that sets the user property "previousAt" (epoch ms of the first cycle
// of the machine's previous message; the simulator does) gets its order back: a message waits until
// the machine's stored cycles reach that instant — its predecessor, at another member, is stored —
// or `orderWaitMs` (10 s) passed (the predecessor was lost or is being redelivered: stored late, with a
// warning). The stream's ledger row is read again for each message (another member moves it too),
// and the ledger's conditional advance turns a race of two members into a quick retry.
//
// A machine (or the simulator) may also say what state it is in on <prefix>/<machine>/state:
// JSON {"state":"stopped"|"running","at":<epoch ms or ISO instant, default: on receipt>,"reason":"…"}
// (or the bare word stopped / running). The machine shows that state at once (core/machine-state);
// a cycle after a "stopped" report means it runs again. stateMessage() builds such a message.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import { DateTime } from 'luxon';
import { SensorLogParser, type Cycle, type RowError } from '../../core/sensor/index.js';
import * as plantRepo from '../plant/repository.js';
import { identityOf, sha256Hex } from './file-identity.js';
import { takeIn } from './service.js';
import type { Tx } from '../../db/database.js';
import { systemImport } from './ingest-audit.js';
import { type Ingestor } from './ingest.js';
import type { Log, ProductionNotifier } from './notifier.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';

export interface MqttIngestOptions {
  url: string;
  /** topics are <prefix>/<machine>/cycles */
  topicPrefix: string;
  /** names the persistent session (default qmfg-<host name>) */
  clientId?: string;
  /** how long the broker keeps the session (and unacknowledged messages) while we are away; default 1 day */
  sessionExpirySeconds?: number;
  ingestor: Ingestor;
  notifier: ProductionNotifier;
  zone: string;
  log: Log;
  /** first retry delay after a failed store, doubling up to 30 s */
  retryMs?: number;
  /** a member of the shared subscription $share/qmfg/… (several instances split the messages) */
  shared?: boolean;
  /** with `shared`: this many connections, each a member of the shared subscription (client ids <clientId>, <clientId>-1, …); default 1 */
  connections?: number;
  /** longest wait of a message for its predecessor (user property previousAt) to be stored; default 10 s (it may sit in another member's queue) */
  orderWaitMs?: number;
}

/** The shared subscription's group: every qmfg instance of a plant is a member. */
export const SHARED_GROUP = 'qmfg';
/** How often a message waiting for its predecessor looks again. */
const ORDER_POLL_MS = 5;
/** Immediate retries of a store that lost a race with another member (ledger moved, row created meanwhile). */
const RACE_RETRIES = 20;

export interface MqttMessageResult {
  machine: string;
  cycles: number;
  /** lines of the message already stored: redelivered, or the same cycles from a file (machine + instant + serial) */
  duplicates: number;
  errors: RowError[];
}

const MAX_KEY_LENGTH = 80;
/** The system stores live data: audited per machine and batch window (ingest.ts AUDIT_INTERVAL_MS). */
const MQTT_AUDIT = systemImport('mqtt');
const EMPTY_SHA256 = sha256Hex(Buffer.alloc(0));

/** Dedupe keys of a message: its id when it has one, else one per line (content hash with the machine). */
export function messageKeys(machine: string, lines: readonly string[], messageId: string | null): string[] {
  if (messageId !== null) {
    const key = `id:${messageId}`;
    return [key.length <= MAX_KEY_LENGTH ? key : `id#${createHash('sha256').update(messageId).digest('hex')}`];
  }
  return lines.map((line) => `line:${createHash('sha256').update(machine).update('\n').update(line).digest('hex')}`);
}

function userProperty(packet: { properties?: { userProperties?: Record<string, string | string[]> } }, ...names: string[]): string | null {
  const properties = packet.properties?.userProperties;
  if (!properties) return null;
  for (const name of names) {
    const value = properties[name];
    if (typeof value === 'string' && value.length > 0) return value;
    if (Array.isArray(value) && value.length > 0) return value[0];
  }
  return null;
}

interface StreamLedger {
  id: number;
  day: string;
  consumedBytes: number;
  consumedLines: number;
}

export interface StateMessage {
  state: 'running' | 'stopped';
  at: number;
  reason: string | null;
}

/** The payload of a state message (for publishers: the simulator, tests). */
export function stateMessage(state: 'running' | 'stopped', at: number, reason?: string): string {
  return JSON.stringify({ state, at, ...(reason ? { reason } : {}) });
}

/** Reads a state message; a string says what is wrong with it. */
export function parseStateMessage(payload: Buffer, receivedAt: number): StateMessage | string {
  const text = payload.toString('utf8').trim();
  if (text === 'running' || text === 'stopped') return { state: text, at: receivedAt, reason: null };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON and not "running"/"stopped": ${text.slice(0, 80)}`;
  }
  const message = body as { state?: unknown; at?: unknown; reason?: unknown };
  if (message === null || typeof message !== 'object' || (message.state !== 'running' && message.state !== 'stopped')) {
    return 'state must be "running" or "stopped"';
  }
  let at = receivedAt;
  if (typeof message.at === 'number' && Number.isFinite(message.at)) at = message.at;
  else if (typeof message.at === 'string') {
    const parsed = DateTime.fromISO(message.at, { setZone: true });
    if (!parsed.isValid) return `at '${message.at}' is not an ISO instant (e.g. 2022-10-11T14:02:11Z) nor epoch milliseconds`;
    at = parsed.toMillis();
  } else if (message.at !== undefined) return 'at must be epoch milliseconds or an ISO instant';
  const reason = typeof message.reason === 'string' && message.reason.trim() ? message.reason.trim().slice(0, 300) : null;
  return { state: message.state, at, reason };
}

export class MqttIngest {
  private readonly clients: MqttClient[] = [];
  private closed = false;
  private readonly streams = new Map<string, StreamLedger>();
  private readonly warned = new Set<string>();
  private machines = new Map<string, boolean>();

  constructor(private readonly options: MqttIngestOptions) {}

  private get sharePrefix(): string {
    return this.options.shared ? `$share/${SHARED_GROUP}/` : '';
  }

  get topicFilter(): string {
    return `${this.sharePrefix}${this.options.topicPrefix}/+/cycles`;
  }

  get stateTopicFilter(): string {
    return `${this.sharePrefix}${this.options.topicPrefix}/+/state`;
  }

  /** Connects and subscribes; resolves once the subscription stands. */
  async start(): Promise<void> {
    const { url, log } = this.options;
    const clientId = this.options.clientId || `qmfg-${hostname()}`;
    // each connection stores one message at a time (its acknowledgement waits for the commit): with
    // the shared subscription several connections are members, so an instance stores several
    // machines' messages at once
    const connections = this.options.shared ? Math.max(1, this.options.connections ?? 1) : 1;
    for (let i = 0; i < connections; i++) {
      const id = i === 0 ? clientId : `${clientId}-${i}`;
      const client = await mqtt.connectAsync(url, {
        clientId: id,
        clean: false,
        protocolVersion: 5,
        properties: { sessionExpiryInterval: this.options.sessionExpirySeconds ?? 86_400 },
        reconnectPeriod: 2000,
        connectTimeout: 5000,
        customHandleAcks: (topic, message, packet, ack) => {
          void this.handle(topic, message, packet as { properties?: { userProperties?: Record<string, string | string[]> } }).then(
            () => ack(0),
            (error: unknown) => log.error(`MQTT ${topic}: ${(error as Error).message} (left unacknowledged for redelivery)`),
          );
        },
      });
      this.clients.push(client);
      client.on('error', (error) => log.error(`MQTT ${url}: ${error.message}`));
      client.on('reconnect', () => log.warn(`MQTT ${url}: reconnecting`));
      await client.subscribeAsync([this.topicFilter, this.stateTopicFilter], { qos: 1 });
    }
    log.info(`MQTT: subscribed to ${this.topicFilter} and ${this.stateTopicFilter} at ${url} as ${clientId}${connections > 1 ? ` (${connections} connections)` : ''}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = this.clients.splice(0);
    await Promise.all(clients.map((client) => client.endAsync()));
    // what arrived since the last audit entry gets its entry now
    await this.options.ingestor.flushAudits();
  }

  /** Stores one message (retrying while the database fails), then it may be acknowledged. */
  async handle(topic: string, payload: Buffer, packet: { properties?: { userProperties?: Record<string, string | string[]> } }): Promise<MqttMessageResult | null> {
    const parts = topic.split('/');
    const machine = parts.length >= 3 ? parts[parts.length - 2] : '';
    if (!(await this.knownMachine(machine))) {
      this.warnOnce(machine, `MQTT ${topic}: no machine '${machine}'; its messages are acknowledged and dropped`);
      return null;
    }
    if (parts[parts.length - 1] === 'state') {
      await this.storeState(machine, topic, payload);
      return null;
    }
    const messageId = userProperty(packet, 'id', 'messageId', 'message-id');
    if (this.options.shared) await this.awaitPredecessor(machine, topic, userProperty(packet, 'previousAt'));
    let delay = this.options.retryMs ?? 1000;
    let races = 0;
    for (;;) {
      try {
        // another member moves the stream's ledger row too: read it afresh
        if (this.options.shared) this.streams.delete(machine);
        const result = await this.options.ingestor.withMachine(machine, () => this.store(machine, topic, payload, messageId));
        if (result.errors.length > 0) this.options.log.warn(`MQTT ${topic}: ${result.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
        return result;
      } catch (error) {
        this.streams.delete(machine);
        if (this.closed) throw error;
        // lost a race with another member (the ledger moved, the day's row or the machine's state row created at once): again at once
        if (this.options.shared && races++ < RACE_RETRIES) continue;
        this.options.log.error(`MQTT ${topic}: storing failed, retrying in ${delay} ms: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 30_000);
      }
    }
  }

  /** Waits until the machine's stored cycles reach `previousAt` (its previous message is stored), at most orderWaitMs. */
  private async awaitPredecessor(machine: string, topic: string, previousAt: string | null): Promise<void> {
    const after = previousAt === null ? Number.NaN : Number(previousAt);
    if (!Number.isFinite(after)) return;
    const deadline = Date.now() + (this.options.orderWaitMs ?? 10_000);
    for (;;) {
      const state = await repo.getMachineState(this.options.ingestor.db, machine);
      if (state?.lastAt != null && state.lastAt >= after) return;
      if (this.closed) return;
      if (Date.now() >= deadline) {
        this.options.log.warn(`MQTT ${topic}: the machine's previous message (from ${new Date(after).toISOString()}) is not stored yet; storing this one out of order`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, ORDER_POLL_MS));
    }
  }

  private async store(machine: string, topic: string, payload: Buffer, messageId: string | null): Promise<MqttMessageResult> {
    const { ingestor } = this.options;
    const lines = payload
      .toString('latin1')
      .split('\n')
      .map((line) => line.replace(/\r$/, ''))
      .filter((line) => line.trim().length > 0);
    const keys = messageKeys(machine, lines, messageId);
    const known = await repo.knownMessageKeys(ingestor.db, machine, keys);
    // with a message id the message is new or not as a whole; per-line keys sort out each line
    const fresh: string[] = [];
    const freshKeys: string[] = [];
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      const key = messageId !== null ? keys[0] : keys[i];
      if (known.has(key) || (messageId === null && seen.has(key))) return;
      seen.add(key);
      fresh.push(line);
      if (messageId === null) freshKeys.push(key);
    });
    if (messageId !== null && fresh.length > 0) freshKeys.push(keys[0]);
    const result: MqttMessageResult = { machine, cycles: 0, duplicates: lines.length - fresh.length, errors: [] };
    if (fresh.length === 0) return result;

    const stream = await this.streamLedger(machine, topic);
    const text = Buffer.from(`${fresh.join('\n')}\n`, 'latin1');
    const parser = new SensorLogParser({ file: `mqtt:${topic}`, zone: this.options.zone, startLine: stream.consumedLines + 1, startByte: stream.consumedBytes });
    const parsed = parser.push(text);
    const tail = parser.end(true);
    const cycles: Cycle[] = [...parsed.cycles, ...tail.cycles];
    const errors = [...parsed.errors, ...tail.errors];
    const message = {
      machine,
      fileId: stream.id,
      expectedConsumedBytes: stream.consumedBytes,
      consumedBytes: parser.consumedBytes,
      consumedLines: parser.nextLineNumber - 1,
      prefixSha256: EMPTY_SHA256,
      path: topic,
      cycles,
      errors,
      errorCount: errors.length,
      extra: (trx: Tx) => repo.insertMessageKeys(trx, machine, freshKeys, Date.now()),
    };
    const [stored] = await takeIn(ingestor, [{ machine, message, name: topic }], { audit: MQTT_AUDIT, after: { throttle: this.options.notifier } });
    stream.consumedBytes = parser.consumedBytes;
    stream.consumedLines = parser.nextLineNumber - 1;
    result.cycles = stored.cycles;
    result.duplicates += stored.duplicateCycles;
    result.errors = errors;
    return result;
  }

  /** Stores what the machine says about its state and tells open screens at once (no throttling: it is rare). */
  private async storeState(machine: string, topic: string, payload: Buffer): Promise<void> {
    const receivedAt = Date.now();
    const message = parseStateMessage(payload, receivedAt);
    if (typeof message === 'string') {
      this.options.log.warn(`MQTT ${topic}: ${message}; the message is dropped`);
      return;
    }
    await repo.putReportedState(this.options.ingestor.db, { machine, state: message.state, at: message.at, receivedAt, source: topic, reason: message.reason });
    this.options.notifier.publishNow({ topic: 'machine-state', data: { machines: [machine], state: message.state } });
  }

  /** The ledger row of a machine's MQTT stream for the plant-local day (created on first use). */
  private async streamLedger(machine: string, topic: string): Promise<StreamLedger> {
    const day = DateTime.now().setZone(this.options.zone).toFormat('yyyyLLdd');
    const cached = this.streams.get(machine);
    if (cached && cached.day === day) return cached;
    const { db } = this.options.ingestor;
    const name = `mqtt-${day}`;
    let row = (await ledgerRepo.ledgerByName(db, machine, name)).find((r) => r.source === 'mqtt');
    if (!row) {
      row = await ledgerRepo.insertLedger(
        db,
        { machine, name, path: topic, source: 'mqtt', identity: identityOf(Buffer.from(`mqtt:${machine}`), name), identityBytes: 0, prefixSha256: EMPTY_SHA256, status: 'active', message: null },
        Date.now(),
      );
    }
    const stream = { id: row.id, day, consumedBytes: row.consumedBytes, consumedLines: row.consumedLines };
    this.streams.set(machine, stream);
    return stream;
  }

  private async knownMachine(machine: string): Promise<boolean> {
    if (machine === '') return false;
    const cached = this.machines.get(machine);
    if (cached !== undefined) return cached;
    const exists = (await plantRepo.getMachine(this.options.ingestor.db, machine)) !== undefined;
    // unknown ones are asked again after a while: the machine may be created meanwhile
    if (exists) this.machines.set(machine, true);
    return exists;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log.warn(message);
  }
}
