// Starting the whole thing: config → database (created/migrated/seeded) → app → listen.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { demoMachineDataPending, seedDatabase, seedDemoMachineData } from '../features/demo/seed.js';
import { startMachineData, type MachineDataRuntime } from '../features/machine-data/runtime.js';
import { startMeasurements } from '../features/measurements/runtime.js';
import { buildApp } from './app.js';
import { startDemoSimulation } from '../features/simulation/demo.js';
import type { SimulationHolder } from '../features/simulation/routes.js';
import { EventHub } from './events.js';
import type { App } from './context.js';
import { prepareAuditTrail } from '../features/audit/integrity.js';
import { installedAuditKeyring } from '../features/audit/keys.js';
import { assertClockAgreesWithDatabase, startAuditJobs, type AuditJobs } from './audit-jobs.js';

/** dist/web next to the bundle (dist/cli.js) or, when running from source, <repo>/dist/web. */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('dist') || here.endsWith('dist/server') ? join(here.replace(/\/server$/, ''), 'web') : join(here, '../../dist/web');
}

/** Pause between listening and generating the demo's sensor data (CPU-bound for a few seconds). */
const DEMO_DATA_DELAY_MS = 1000;

export interface Running {
  app: App;
  handle: DatabaseHandle;
  url: string;
  /** drop-folder watcher, MQTT, retention */
  machineData: MachineDataRuntime;
  /** the demo's synthetic sensor data being ingested after start (null when there is none to do) */
  demoData: Promise<void> | null;
  /** the living demo's simulation once it runs (QMFG_DEMO_LIVE) */
  simulation: SimulationHolder;
  /** audit checkpoints, the daily verification, the clock-step watcher */
  audit: AuditJobs;
  close(): Promise<void>;
}

/** What a start is doing, for `qmfg serve` to print ("migrating the database…"). */
export type StartProgress = (message: string) => void;

export async function prepareDatabase(config: Config, seed: boolean, progress: StartProgress = () => undefined): Promise<DatabaseHandle> {
  const handle = await openDatabase(config.DATABASE_URL);
  try {
    // a server whose clock disagrees with the database's would stamp records with wrong times
    await assertClockAgreesWithDatabase(handle.db, handle.dialect, config.QMFG_CLOCK_TOLERANCE_SECONDS);
    progress(`migrating the database (${handle.dialect})…`);
    await migrateToLatest(handle.db);
    // before anything is written: the audit key loaded (the key file created at first start), the old trail anchored
    await prepareAuditTrail(handle.db, config);
  } catch (error) {
    await handle.close();
    throw error;
  }
  if (seed) {
    // the living demo's lines count from machine data only (no seeded count to drop at the first cycle)
    const seeded = await seedDatabase(handle.db, config, config.QMFG_DEMO, { orders: true, live: config.QMFG_DEMO_LIVE });
    if (seeded.seeded) progress(config.QMFG_DEMO ? `seeded the demo plant: ${seeded.machines} machines, ${seeded.products} products (first start)` : 'seeded the site and its default calendar (first start)');
  }
  return handle;
}

export async function startServer(options: { config?: Config; port?: number; seed?: boolean; webRoot?: string; logger?: boolean; progress?: StartProgress } = {}): Promise<Running> {
  const config = options.config ?? loadConfig();
  const handle = await prepareDatabase(config, options.seed ?? true, options.progress);
  const events = new EventHub();
  const simulation: SimulationHolder = { current: null };
  const app = await buildApp({ db: handle.db, dialect: handle.dialect, config, events }, { webRoot: options.webRoot ?? defaultWebRoot(), logger: options.logger, simulation });
  const port = options.port ?? config.PORT;
  await app.listen({ port, host: config.HOST });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const log = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m), error: (m: string) => app.log.error(m) };
  const machineData = await startMachineData(handle.db, config, events, log);
  const measurements = await startMeasurements(handle.db, config, log);
  // this instance holds the audit job (one instance until issue 17's lease decides which)
  const audit = await startAuditJobs({ db: handle.db, config, keyring: installedAuditKeyring()!, log });
  // Generating and ingesting the demo's days of sensor data takes seconds: do it after the server
  // listens (first start stays fast); a 'production' event tells open screens when it is in.
  const stopDemo = new AbortController();
  // it starts a moment after listening, so the first page and API calls are answered first
  const live = (options.seed ?? true) && config.QMFG_DEMO && config.QMFG_DEMO_LIVE;
  const backfill = await demoMachineDataPending(handle.db, config);
  const demoData = live
    ? new Promise((resolve) => setTimeout(resolve, DEMO_DATA_DELAY_MS))
        .then(() => startDemoSimulation(handle.db, config, machineData, { now: Date.now(), log, signal: stopDemo.signal, backfill }))
        .then(
          (started) => {
            simulation.current = started;
          },
          (error: unknown) => app.log.error(`demo simulation could not start: ${(error as Error).message}`),
        )
    : (options.seed ?? true) && backfill
    ? new Promise((resolve) => setTimeout(resolve, DEMO_DATA_DELAY_MS))
        .then(() => seedDemoMachineData(handle.db, config, { now: Date.now(), events, signal: stopDemo.signal }))
        .then(
          (result) => app.log.info(`demo sensor data: ${result.cycles} cycles in ${result.files} files (${result.ms} ms)`),
          (error: unknown) => app.log.error(`demo sensor data could not be ingested: ${(error as Error).message}`),
        )
    : null;
  return {
    app,
    handle,
    url: `http://localhost:${actualPort}`,
    machineData,
    demoData,
    simulation,
    audit,
    async close() {
      stopDemo.abort();
      await demoData;
      await simulation.current?.close();
      await machineData.close();
      await measurements.close();
      await app.close();
      await audit.close();
      await handle.close();
    },
  };
}
