// Live measurements over MQTT: <prefix>/<machine>/measurements, JSON {channel, at, value} or
// {channel, samples: [[at, value], …]} (core/measurements/message.ts). Messages are stored in
// arrival order through ingestMeasurements; a redelivered message stores nothing twice (a channel
// has one sample per instant). Malformed payloads are counted and logged with topic and reason.
import { hostname } from 'node:os';
import mqtt, { type MqttClient } from 'mqtt';
import type { Db } from '../../db/database.js';
import { parseMeasurementMessage } from '../../core/measurements/index.js';
import type { Log } from '../machine-data/notifier.js';
import { auditStream, ingestMeasurements, type MeasurementDoor } from './ingest.js';

/** What MQTT stored is audited per machine in one entry at most this often (and when the subscriber stops). */
export const STREAM_AUDIT_INTERVAL_MS = 5 * 60_000;

export interface MeasurementMqttOptions {
  url: string;
  topicPrefix: string;
  db: Db;
  zone: string;
  log: Log;
  clientId?: string;
}

const DOOR: MeasurementDoor = { who: { actor: 'system', source: 'mqtt' }, action: 'import' };

export class MeasurementMqtt {
  private client: MqttClient | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** messages that could not be read, and samples stored, since start */
  readonly counts = { messages: 0, malformed: 0, stored: 0, rejected: 0 };

  /** per machine: what was stored since its last audit entry */
  private readonly unaudited = new Map<string, { samples: number; messages: number; channels: Record<string, number> }>();
  private auditTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MeasurementMqttOptions) {}

  /** Writes one audit entry per machine for what was stored since the last one. */
  async flushAudits(): Promise<void> {
    for (const [machine, stored] of [...this.unaudited]) {
      this.unaudited.delete(machine);
      try {
        await auditStream(this.options.db, DOOR, machine, 'mqtt', stored, Date.now());
      } catch (error) {
        this.options.log.error(`audit of MQTT measurements of ${machine} failed: ${(error as Error).message}`);
      }
    }
  }

  get topicFilter(): string {
    return `${this.options.topicPrefix}/+/measurements`;
  }

  async start(): Promise<void> {
    const client = mqtt.connect(this.options.url, { clientId: this.options.clientId ?? `qmfg-measurements-${hostname()}`, reconnectPeriod: 2000 });
    this.client = client;
    client.on('message', (topic, payload) => {
      this.queue = this.queue.then(() => this.handle(topic, payload.toString('utf8'), Date.now()));
    });
    client.on('error', (error) => this.options.log.error(`MQTT measurements ${this.options.url}: ${error.message}`));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(this.topicFilter, { qos: 1 });
    this.auditTimer = setInterval(() => void this.flushAudits(), STREAM_AUDIT_INTERVAL_MS);
    this.auditTimer.unref();
    this.options.log.info(`subscribed to ${this.topicFilter} for measurements`);
  }

  /** One message: stored, or counted and logged as malformed (topic and reason). */
  async handle(topic: string, payload: string, receivedAt: number): Promise<void> {
    this.counts.messages++;
    const parts = topic.split('/');
    const machine = parts[parts.length - 2];
    const samples = parseMeasurementMessage(payload, receivedAt);
    if (typeof samples === 'string') {
      this.counts.malformed++;
      this.options.log.warn(`${topic}: malformed measurement message (${this.counts.malformed} so far): ${samples}`);
      return;
    }
    try {
      const [result] = await ingestMeasurements({ db: this.options.db, zone: this.options.zone }, [{ machine, name: topic, samples }], DOOR);
      this.counts.stored += result.stored;
      if (result.stored > 0) {
        const entry = this.unaudited.get(machine) ?? { samples: 0, messages: 0, channels: {} };
        entry.samples += result.stored;
        entry.messages++;
        for (const [key, n] of Object.entries(result.channels)) entry.channels[key] = (entry.channels[key] ?? 0) + n;
        this.unaudited.set(machine, entry);
      }
      if (result.errorCount > 0) {
        this.counts.rejected++;
        this.options.log.warn(`${topic}: ${result.errors[0].message}`);
      }
    } catch (error) {
      this.counts.rejected++;
      this.options.log.warn(`${topic}: ${(error as Error).message}`);
    }
  }

  /** Resolves when every message received so far is handled. */
  async idle(): Promise<void> {
    await this.queue;
  }

  async close(): Promise<void> {
    if (this.auditTimer) clearInterval(this.auditTimer);
    await this.idle();
    await this.client?.endAsync();
    await this.flushAudits();
  }
}
