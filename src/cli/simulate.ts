// `qmfg simulate`: the living demo as its own process, publishing over MQTT (QMFG_MQTT_URL) to a
// running server whose subscriber stores the cycles; it reads the board's queues from the database.
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { Simulation } from '../features/simulation/runner.js';
import { mqttSink } from '../features/simulation/sinks.js';
import { DEMO_SIMULATED_GROUP, DEMO_SIMULATION_SEED, DEMO_TICK_MS } from '../features/simulation/demo.js';
import * as plantRepo from '../features/plant/repository.js';
import { withConfigErrors } from './config-errors.js';
import { CliError } from './errors.js';

export async function simulateCommand(opts: { machines?: string; speed?: string; seed?: string }): Promise<void> {
  const config = await withConfigErrors(async () => loadConfig());
  if (!config.QMFG_MQTT_URL) throw new CliError('QMFG_MQTT_URL is not set: `qmfg simulate` publishes to the broker a running server subscribes to (e.g. mqtt://127.0.0.1:1883)');
  const speed = Number(opts.speed ?? '1');
  if (!(speed > 0 && speed <= 10_000)) throw new CliError(`--speed must be a number in (0, 10000], got '${opts.speed}'`);
  const seed = Number(opts.seed ?? DEMO_SIMULATION_SEED);
  if (!Number.isSafeInteger(seed)) throw new CliError(`--seed must be an integer, got '${opts.seed}'`);
  const handle = await openDatabase(config.DATABASE_URL);
  const known = await plantRepo.listMachines(handle.db);
  const machines = opts.machines ? opts.machines.split(',').map((m) => m.trim()).filter(Boolean) : known.filter((m) => m.group === DEMO_SIMULATED_GROUP).map((m) => m.key);
  const unknown = machines.filter((m) => !known.some((k) => k.key === m));
  if (unknown.length > 0) throw new CliError(`--machines: no machine ${unknown.map((m) => `'${m}'`).join(', ')} (known: ${known.map((k) => k.key).join(', ')})`);
  const log = { info: (m: string) => console.log(`qmfg simulate: ${m}`), warn: (m: string) => console.warn(`qmfg simulate: ${m}`), error: (m: string) => console.error(`qmfg simulate: ${m}`) };
  const sink = await mqttSink({ url: config.QMFG_MQTT_URL, topicPrefix: config.QMFG_MQTT_TOPIC_PREFIX, log });
  const simulation = new Simulation({ db: handle.db, zone: config.QMFG_TZ, seed, machines, sink, log, speed });
  // pause/resume from `qmfg simulate pause|resume <machine>` (over MQTT, when the sink publishes there)
  await simulation.listenForControl();
  simulation.start(DEMO_TICK_MS);
  log.info(`publishing ${machines.join(', ')} to ${config.QMFG_MQTT_URL} (speed ${speed}); Ctrl-C stops`);
  const stop = async () => {
    await simulation.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
