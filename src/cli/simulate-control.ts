// `qmfg simulate pause|resume <machine>`: asks the simulator that runs the machine — `qmfg simulate`
// or a server's living demo publishing over MQTT — through the broker (QMFG_MQTT_URL): a control
// message on <prefix>/<machine>/simulation, answered on a reply topic with the machine's status.
// A server simulating in process without a broker is controlled by its admin API instead
// (POST /api/simulation/machines/:key/pause|resume).
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { loadConfig } from '../config.js';
import { controlTopic } from '../features/simulation/sinks.js';
import { withConfigErrors } from './config-errors.js';
import { CliError } from './errors.js';

/** How long the CLI waits for the simulator's answer. */
const ANSWER_MS = 5000;

export async function simulateControlCommand(action: 'pause' | 'resume', machine: string, opts: { timeout?: string } = {}): Promise<void> {
  const config = await withConfigErrors(async () => loadConfig());
  const url = config.QMFG_MQTT_URL;
  if (!url) throw new CliError(`QMFG_MQTT_URL is not set: \`qmfg simulate ${action}\` talks to the simulator over the broker (a server simulating without one: POST /api/simulation/machines/${machine}/${action} as an administrator)`);
  const timeoutMs = opts.timeout === undefined ? ANSWER_MS : Number(opts.timeout) * 1000;
  if (!(timeoutMs > 0 && timeoutMs <= 600_000)) throw new CliError(`--timeout must be seconds in (0, 600], got '${opts.timeout}'`);
  const answer = await askSimulator({ url, topicPrefix: config.QMFG_MQTT_TOPIC_PREFIX, machine, action, timeoutMs });
  console.log(`qmfg simulate: ${machine} ${answer.paused ? 'paused' : 'running'}${answer.lot ? ` (lot ${answer.lot}, ${answer.count} parts)` : ''}`);
}

export interface SimulatorAnswer {
  machine: string;
  paused: boolean;
  lot: string | null;
  count: number;
}

export async function askSimulator(options: { url: string; topicPrefix: string; machine: string; action: 'pause' | 'resume'; timeoutMs: number }): Promise<SimulatorAnswer> {
  const { url, topicPrefix, machine, action, timeoutMs } = options;
  let client: mqtt.MqttClient;
  try {
    client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: Math.min(timeoutMs, 5000) });
  } catch (error) {
    throw new CliError(`cannot reach the MQTT broker at ${url} (QMFG_MQTT_URL): ${(error as Error).message}`);
  }
  try {
    const replyTo = `${topicPrefix}/simulation-replies/${randomUUID()}`;
    const answered = new Promise<SimulatorAnswer>((resolve) => {
      client.on('message', (topic, payload) => {
        if (topic === replyTo) resolve(JSON.parse(payload.toString('utf8')) as SimulatorAnswer);
      });
    });
    await client.subscribeAsync(replyTo, { qos: 1 });
    const topic = controlTopic(topicPrefix, machine);
    await client.publishAsync(topic, JSON.stringify({ action, replyTo }), { qos: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const answer = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    if (!answer) throw new CliError(`no simulator answered for machine '${machine}' on ${topic} within ${timeoutMs / 1000} s (is \`qmfg simulate\`, or \`qmfg serve\` with the living demo and QMFG_MQTT_URL, running and simulating '${machine}'? see --timeout)`);
    return answer;
  } finally {
    await client.endAsync();
  }
}
