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
  close(): Promise<void>;
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
  return {
    async cycles(machine, lines, firstAt) {
      await client.publishAsync(`${options.topicPrefix}/${machine}/cycles`, `${lines.join('\n')}\n`, { qos: 1, ...messageProperties(machine, firstAt) });
    },
    async state(machine, state, at) {
      await client.publishAsync(`${options.topicPrefix}/${machine}/state`, stateMessage(state, at), { qos: 1 });
    },
    async close() {
      await client.endAsync();
    },
  };
}

/** A message id per machine and first cycle: a redelivery is recognised as the same message. */
function messageProperties(machine: string, firstAt: number): { properties: { userProperties: Record<string, string> } } {
  return { properties: { userProperties: { id: `sim:${machine}:${firstAt}` } } };
}
