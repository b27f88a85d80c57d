// Starting the whole thing: config → database (created/migrated/seeded) → app → listen.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { withStartLock } from '../db/start-lock.js';
import { demoMachineDataPending, seedDatabase, seedDemoMachineData } from '../features/demo/seed.js';
import { startMachineData, type MachineDataRuntime } from '../features/machine-data/runtime.js';
import { startMeasurements } from '../features/measurements/runtime.js';
import { alertRuntimeOf, buildApp } from './app.js';
import { startDemoSimulation } from '../features/simulation/demo.js';
import type { SimulationHolder } from '../features/simulation/routes.js';
import { EventHub } from './events.js';
import type { App } from './context.js';
import { prepareAuditTrail } from '../features/audit/integrity.js';
import { installedAuditKeyring } from '../features/audit/keys.js';
import { assertClockAgreesWithDatabase, startAuditJobs } from './audit-jobs.js';
import { LeaseKeeper, type LeasedJob, type RunningJob } from '../features/jobs/leases.js';
import { lifecycleOf } from './lifecycle.js';
import { metricsOf } from './metrics.js';
import { ingestorFor } from '../features/machine-data/ingest.js';
import { chooseEventTransport, createEventTransport } from './event-transports/choose.js';

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
  /** the background jobs this instance runs (alerts, audit, retention, watcher, demo data) under their leases */
  keeper: LeaseKeeper;
  close(): Promise<void>;
}

/** What a start is doing, for `qmfg serve` to print ("migrating the database…"). */
export type StartProgress = (message: string) => void;

export async function prepareDatabase(config: Config, seed: boolean, progress: StartProgress = () => undefined): Promise<DatabaseHandle> {
  const handle = await openDatabase(config.DATABASE_URL);
  try {
    // a server whose clock disagrees with the database's would stamp records with wrong times
    await assertClockAgreesWithDatabase(handle.db, handle.dialect, config.QMFG_CLOCK_TOLERANCE_SECONDS);
    // instances started together: one migrates and seeds, the others wait and then find it done
    await withStartLock(handle.db, handle.dialect, async () => {
      progress(`migrating the database (${handle.dialect})…`);
      await migrateToLatest(handle.db);
      // before anything is written: the audit key loaded (the key file created at first start), the old trail anchored
      await prepareAuditTrail(handle.db, config);
      if (seed) {
        // the living demo's lines count from machine data only (no seeded count to drop at the first cycle)
        const seeded = await seedDatabase(handle.db, config, config.QMFG_DEMO, { orders: true, live: config.QMFG_DEMO_LIVE });
        if (seeded.seeded) progress(config.QMFG_DEMO ? `seeded the demo plant: ${seeded.machines} machines, ${seeded.products} products (first start)` : 'seeded the site and its default calendar (first start)');
      }
    });
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

export async function startServer(options: { config?: Config; port?: number; seed?: boolean; webRoot?: string; logger?: boolean; progress?: StartProgress } = {}): Promise<Running> {
  const config = options.config ?? loadConfig();
  const handle = await prepareDatabase(config, options.seed ?? true, options.progress);
  const events = new EventHub();
  const simulation: SimulationHolder = { current: null };
  const app = await buildApp({ db: handle.db, dialect: handle.dialect, config, events }, { webRoot: options.webRoot ?? defaultWebRoot(), logger: options.logger, simulation, alerts: { leased: true } });
  const port = options.port ?? config.PORT;
  await app.listen({ port, host: config.HOST });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const log = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m), error: (m: string) => app.log.error(m) };
  // live events reach the screens of every instance (issue 17 item 2)
  const transport = chooseEventTransport(config, handle.dialect);
  if (transport.warning) log.warn(transport.warning);
  const bridge = createEventTransport(transport.kind, config);
  if (bridge) {
    try {
      await events.connect(bridge, log);
    } catch (error) {
      await app.close();
      await handle.close();
      throw new Error(`live events: cannot connect the ${bridge.name} transport: ${(error as Error).message}`);
    }
  }
  log.info(`live events: ${events.transportName}`);
  const machineData = await startMachineData(handle.db, config, events, log);
  const measurements = await startMeasurements(handle.db, config, log);

  // Background jobs run on one instance each, where their lease is held (issue 17 item 3).
  const jobs: LeasedJob[] = [
    { name: 'alerts', start: async () => (alertRuntimeOf(app).start(), { close: () => alertRuntimeOf(app).pause() }) },
    { name: 'audit', start: () => startAuditJobs({ db: handle.db, config, keyring: installedAuditKeyring()!, log }) },
    { name: 'raw-retention', start: () => machineData.retentionJob.start() },
  ];
  if (machineData.watcherJob) jobs.push({ name: 'drop-folder-watcher', start: () => machineData.watcherJob!.start() });
  if (measurements.watcherJob) jobs.push({ name: 'measurement-folder-watcher', start: () => measurements.watcherJob!.start() });
  // The demo's machine data: the living simulation (QMFG_DEMO_LIVE) or the past days of sensor data
  // generated once; CPU-bound for a few seconds, so it starts a moment after listening.
  const seeded = options.seed ?? true;
  const live = seeded && config.QMFG_DEMO && config.QMFG_DEMO_LIVE;
  let demoData: Promise<void> | null = null;
  if (live || (seeded && (await demoMachineDataPending(handle.db, config)))) {
    let settled!: () => void;
    demoData = new Promise<void>((resolve) => (settled = resolve));
    jobs.push({
      name: 'demo-machine-data',
      start: async () => {
        const job = await startDemoData(handle.db, config, { machineData, events, log, simulation, live });
        void job.settled.then(settled);
        return job;
      },
    });
  }
  const keeper = new LeaseKeeper({ db: handle.db, dialect: handle.dialect, jobs, log });
  await keeper.start();
  metricsOf(app).watchLeases(() => keeper.held());
  return {
    app,
    handle,
    url: `http://localhost:${actualPort}`,
    machineData,
    demoData,
    simulation,
    keeper,
    /**
     * A graceful stop (SIGTERM): new requests get 503 with Connection: close (nginx tries another
     * instance), live streams end with a retry hint, the background jobs stop and hand their leases
     * over, requests in flight (an upload) and the ingest batch under way finish, then the database closes.
     */
    async close() {
      const started = Date.now();
      const steps: string[] = [];
      const step = async (name: string, work: () => Promise<unknown>) => {
        const at = Date.now();
        await work();
        steps.push(`${name} ${Date.now() - at} ms`);
      };
      const lifecycle = lifecycleOf(app);
      lifecycle.startDraining();
      const streams = lifecycle.closeStreams();
      // an upload or import under way stops after the batch it is storing (503, "upload it again to continue")
      ingestorFor(handle.db, config.QMFG_TZ).stopBetweenBatches('this instance is shutting down');
      await step('jobs and leases', () => keeper.close());
      await step('machine data', () => machineData.close());
      await step('measurements', () => measurements.close());
      // connections that fall idle after the close began are closed too (Node closes only those idle at its start)
      const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
      await step('requests in flight', () => app.close()).finally(() => clearInterval(sweep));
      await step('ingest', () => ingestorFor(handle.db, config.QMFG_TZ).idle());
      await step('events', () => events.disconnect());
      app.log.info(`stopped in ${Date.now() - started} ms (${streams} live streams closed; ${steps.join(', ')})`);
      await handle.close();
    },
  };
}

/** The demo's data as a leased job: the simulation (after back-filling past days) or the generated past days. */
async function startDemoData(
  db: DatabaseHandle['db'],
  config: Config,
  deps: { machineData: MachineDataRuntime; events: EventHub; log: { info(m: string): void; warn(m: string): void; error(m: string): void }; simulation: SimulationHolder; live: boolean },
): Promise<RunningJob & { settled: Promise<unknown> }> {
  const stop = new AbortController();
  // runs in the background: the lease keeper's round must not wait for a back-fill of days
  const work = new Promise((resolve) => setTimeout(resolve, DEMO_DATA_DELAY_MS)).then(() => demoWork(db, config, deps, stop.signal));
  return {
    settled: work.catch(() => undefined),
    async close() {
      stop.abort();
      await work;
      const current = deps.simulation.current;
      deps.simulation.current = null;
      await current?.close();
    },
  };
}

async function demoWork(db: DatabaseHandle['db'], config: Config, deps: Parameters<typeof startDemoData>[2], signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const backfill = await demoMachineDataPending(db, config);
  if (deps.live) {
    await startDemoSimulation(db, config, deps.machineData, { now: Date.now(), log: deps.log, signal, backfill }).then(
      async (started) => {
        // stopped while it was back-filling: the job is already closed
        if (signal.aborted) await started?.close();
        else deps.simulation.current = started;
      },
      (error: unknown) => deps.log.error(`demo simulation could not start: ${(error as Error).message}`),
    );
  } else if (backfill) {
    await seedDemoMachineData(db, config, { now: Date.now(), events: deps.events, signal }).then(
      (result) => deps.log.info(`demo sensor data: ${result.cycles} cycles in ${result.files} files (${result.ms} ms)`),
      (error: unknown) => deps.log.error(`demo sensor data could not be ingested: ${(error as Error).message}`),
    );
  }
}
