// Where simulated cycles go: in process through machine data's message door (MqttIngest.handle,
// which stores through takeIn exactly like a broker's message, without a broker), or over MQTT to a
// running server (<prefix>/<machine>/cycles with QoS 1 and a message id, <prefix>/<machine>/state).
import mqtt, { type MqttClient } from 'mqtt';
import { MqttIngest, stateMessage } from '../machine-data/mqtt.js';
import type { Ingestor } from '../machine-data/ingest.js';
import type { Log, ProductionNotifier } from '../machine-data/notifier.js';

export interface SimulationSink {
  /** camera lines of one machine, in time order; `firstAt` names the message */
  cycles(machine: string, lines: string[], firstAt: number): Promise<void>;
  state(machine: string, state: 'running' | 'stopped', at: number): Promise<void>;
  /** a machine's channel samples, where the sink publishes them itself (MQTT <prefix>/<machine>/measurements) */
  measurements?(machine: string, samples: { channel: string; at: number; value: number }[]): Promise<void>;
  close(): Promise<void>;
  /** control messages for simulated machines (pause/resume), when the sink has a channel for them */
  onControl?(handler: (machine: string, control: SimulationControl) => Promise<unknown>): Promise<void>;
}

// ---- control over MQTT: `qmfg simulate pause|resume <machine>` ------------------------------------
// <prefix>/<machine>/simulation carries {"action":"pause"|"resume","replyTo":"<topic>"}; the
// simulator that runs the machine answers on replyTo with the machine's status (or {"error":…}).
// The server's subscriber listens to …/cycles and …/state only, so these never reach machine data.

export interface SimulationControl {
  action: 'pause' | 'resume';
  replyTo: string | null;
}

export function controlTopic(prefix: string, machine: string): string {
  return `${prefix}/${machine}/simulation`;
}

/** The control message, or a reason it is not one. */
export function parseControl(payload: Buffer): SimulationControl | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return { error: 'not JSON' };
  }
  const message = (body ?? {}) as { action?: unknown; replyTo?: unknown };
  if (message.action !== 'pause' && message.action !== 'resume') return { error: `action must be "pause" or "resume", got ${JSON.stringify(message.action)}` };
  return { action: message.action, replyTo: typeof message.replyTo === 'string' && message.replyTo ? message.replyTo : null };
}

const IN_PROCESS_PREFIX = 'simulation';

/** Stores in this process through the same message path as MQTT (its ledger, dedupe keys, audit, throttled re-plan). */
export function inProcessSink(options: { ingestor: Ingestor; notifier: ProductionNotifier; zone: string; log: Log }): SimulationSink {
  const door = new MqttIngest({ url: 'in-process', topicPrefix: IN_PROCESS_PREFIX, ...options });
  return {
    async cycles(machine, lines, firstAt) {
      await door.handle(`${IN_PROCESS_PREFIX}/${machine}/cycles`, Buffer.from(`${lines.join('\n')}\n`, 'latin1'), messageProperties(machine, firstAt));
    },
    async state(machine, state, at) {
      await door.handle(`${IN_PROCESS_PREFIX}/${machine}/state`, Buffer.from(stateMessage(state, at)), {});
    },
    async close() {
      await options.ingestor.flushAudits();
    },
  };
}

/** Publishes to a broker (a running server's subscriber stores them). */
export async function mqttSink(options: { url: string; topicPrefix: string; log: Log }): Promise<SimulationSink> {
  const client: MqttClient = await mqtt.connectAsync(options.url, { protocolVersion: 5, reconnectPeriod: 2000, connectTimeout: 5000 });
  client.on('error', (error) => options.log.error(`MQTT ${options.url}: ${error.message}`));
  // each machine's previous message, for the shared subscription's members to restore the order (mqtt.ts)
  const previousAt = new Map<string, number>();
  return {
    async cycles(machine, lines, firstAt) {
      const properties = messageProperties(machine, firstAt, previousAt.get(machine));
      previousAt.set(machine, firstAt);
      await client.publishAsync(`${options.topicPrefix}/${machine}/cycles`, `${lines.join('\n')}\n`, { qos: 1, ...properties });
    },
    async state(machine, state, at) {
      await client.publishAsync(`${options.topicPrefix}/${machine}/state`, stateMessage(state, at), { qos: 1 });
    },
    async measurements(machine, samples) {
      // one message per channel: {channel, samples: [[at, value], …]} (what the measurements subscriber reads)
      const byChannel = new Map<string, [number, number][]>();
      for (const sample of samples) byChannel.set(sample.channel, [...(byChannel.get(sample.channel) ?? []), [sample.at, sample.value]]);
      for (const [channel, values] of byChannel) {
        await client.publishAsync(`${options.topicPrefix}/${machine}/measurements`, JSON.stringify({ channel, samples: values }), { qos: 1 });
      }
    },
    async close() {
      await client.endAsync();
    },
    async onControl(handler) {
      const filter = controlTopic(options.topicPrefix, '+');
      client.on('message', (topic, payload) => {
        const parts = topic.split('/');
        if (parts.length < 2 || parts[parts.length - 1] !== 'simulation' || `${parts.slice(0, -2).join('/')}` !== options.topicPrefix) return;
        const machine = parts[parts.length - 2];
        const control = parseControl(payload);
        if ('error' in control) {
          options.log.warn(`MQTT ${topic}: ${control.error}; ignored`);
          return;
        }
        void handler(machine, control).then(
          (status) => (status === undefined || !control.replyTo ? undefined : client.publishAsync(control.replyTo, JSON.stringify(status), { qos: 1 })),
          (error: unknown) => options.log.error(`MQTT ${topic}: ${(error as Error).message}`),
        );
      });
      await client.subscribeAsync(filter, { qos: 1 });
    },
  };
}

/**
 * A message id per machine and first cycle (a redelivery is recognised as the same message) and, for
 * a broker's shared subscription, the first instant of the machine's previous message (previousAt).
 */
export function messageProperties(machine: string, firstAt: number, previousAt?: number): { properties: { userProperties: Record<string, string> } } {
  const userProperties: Record<string, string> = { id: `sim:${machine}:${firstAt}` };
  if (previousAt !== undefined) userProperties.previousAt = String(previousAt);
  return { properties: { userProperties } };
}
