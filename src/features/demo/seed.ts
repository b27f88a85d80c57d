// Seeds the demo plant into an empty database (and the site row + default calendar any plant needs).
import { DEFAULT_RATE_MODE } from '../../core/schedule/types.js';
import type { Db } from '../../db/database.js';
import type { Config } from '../../config.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import * as calendarRepo from '../calendar/repository.js';
import { DEMO_CHANGEOVERS, DEMO_GROUPS, DEMO_LIVE_MACHINES, DEMO_MACHINES, DEMO_OPERATOR_LINES, DEMO_PRODUCTS, DEMO_SENSOR_MACHINES, DEMO_WEEK } from './plant.js';
import { seedDemoOrders } from './orders.js';
import { seedDemoGenealogy } from './genealogy.js';
import { DateTime } from 'luxon';
import { listAudit } from '../audit/repository.js';
import { iterateDays } from '../../core/sensor/index.js';
import { afterIngest, summarizeResults, type Publisher } from '../machine-data/service.js';
import { ingestorFor, type IngestFileResult } from '../machine-data/ingest.js';
import { bufferSource } from '../machine-data/sources.js';
import { ensureInitialUsers, type InitialLogin } from '../auth/users.js';
import { seedFinishedLot } from './finished-lot.js';

export interface SeedResult {
  seeded: boolean;
  groups: number;
  machines: number;
  products: number;
}

/** Creates the site and default calendar when missing; with demo=true also the demo plant. Idempotent. */
export interface SeedOptions {
  /** also demo work orders on the board (off in API tests, which build their own queues) */
  orders?: boolean;
  /** the living demo (QMFG_DEMO_LIVE): the simulated lines' demo lots start with nothing produced (machine data counts them) */
  live?: boolean;
}

export async function seedDatabase(db: Db, config: Pick<Config, 'QMFG_SITE_NAME' | 'QMFG_TZ'>, demo: boolean, options: SeedOptions = {}): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    const none = { seeded: false, groups: 0, machines: 0, products: 0 };
    if (await plantRepo.getSite(trx)) return none;
    const now = Date.now();
    await plantRepo.insertSite(trx, { name: config.QMFG_SITE_NAME, timezone: config.QMFG_TZ, defaultRateMode: DEFAULT_RATE_MODE, observedWindowHours: 8 }, now);
    await calendarRepo.insertWeek(trx, calendarRepo.DEFAULT_WEEK, DEMO_WEEK, now);
    if (!demo) {
      await appendAudit(trx, { ...SYSTEM, entity: 'site', entityKey: 'site', action: 'create', after: { name: config.QMFG_SITE_NAME } });
      return { ...none, seeded: true };
    }
    for (const g of DEMO_GROUPS) await plantRepo.insertGroup(trx, g, now);
    for (const m of DEMO_MACHINES) await plantRepo.insertMachine(trx, m, now);
    for (const p of DEMO_PRODUCTS) await plantRepo.insertProduct(trx, p, now);
    // the changeover matrix comes with the demo's work orders (what `npm start` shows): the plain demo
    // plant the API tests build on keeps plans without changeovers unless a test sets a matrix
    if (options.orders) {
      for (const matrix of DEMO_CHANGEOVERS) await plantRepo.replaceChangeoverRules(trx, matrix.group, matrix.rules, 1, now);
    }
    if (options.orders) await seedDemoOrders(trx, config.QMFG_TZ, now, { simulated: options.live ? DEMO_LIVE_MACHINES : [] });
    if (options.orders) await seedDemoGenealogy(trx, config.QMFG_TZ, now);
    await appendAudit(trx, {
      ...SYSTEM,
      entity: 'site',
      entityKey: 'site',
      action: 'seed-demo',
      after: { groups: DEMO_GROUPS.length, machines: DEMO_MACHINES.length, products: DEMO_PRODUCTS.length },
    });
    return { seeded: true, groups: DEMO_GROUPS.length, machines: DEMO_MACHINES.length, products: DEMO_PRODUCTS.length };
  });
}

// ---- demo machine data -------------------------------------------------------------------------

/** Seed of the demo's synthetic camera logs (same seed, same days). */
export const DEMO_DATA_SEED = 1;

/**
 * True when the demo plant was seeded but its synthetic sensor data is not in yet (first start, or
 * a start interrupted while it was being ingested: the ingest ledger makes finishing it safe).
 */
export async function demoMachineDataPending(db: Db, config: Pick<Config, 'QMFG_DEMO' | 'QMFG_DEMO_DAYS'>): Promise<boolean> {
  if (!config.QMFG_DEMO || config.QMFG_DEMO_DAYS <= 0) return false;
  const actions = new Set((await listAudit(db, { entity: 'site', entityKey: 'site', limit: 100 })).map((entry) => entry.action));
  return actions.has('seed-demo') && !actions.has('seed-demo-data');
}

export interface DemoDataResult {
  files: number;
  cycles: number;
  ms: number;
}

/**
 * Generates QMFG_DEMO_DAYS plant-local days of camera logs, ending yesterday, for each demo sensor
 * machine (generateDays: the real lines' rates, stops, breaks and quirks) and ingests them like any
 * file, so that every screen has data at first start. Then re-plans and publishes 'production'.
 */
export async function seedDemoMachineData(
  db: Db,
  config: Pick<Config, 'QMFG_TZ' | 'QMFG_DEMO_DAYS'>,
  options: { now: number; events?: Publisher | null; signal?: AbortSignal },
): Promise<DemoDataResult> {
  const started = Date.now();
  const zone = config.QMFG_TZ;
  const yesterday = DateTime.fromMillis(options.now, { zone }).minus({ days: 1 }).toISODate();
  if (yesterday === null) throw new Error(`cannot tell yesterday's date in ${zone}`);
  const ingestor = ingestorFor(db, zone);
  const results: IngestFileResult[] = [];
  const machines = new Set((await plantRepo.listMachines(db)).map((m) => m.key));
  for (const machine of DEMO_SENSOR_MACHINES.filter((key) => machines.has(key))) {
    for (const day of iterateDays({ machine, endDate: yesterday, days: config.QMFG_DEMO_DAYS, zone, seed: DEMO_DATA_SEED })) {
      // stopped (server closing): what is in stays, the next start finishes through the ledger
      if (options.signal?.aborted) return { files: results.length, cycles: summarizeResults(results).cycles, ms: Date.now() - started };
      // generating a day is synchronous work: let pending requests through first
      await new Promise((resolve) => setImmediate(resolve));
      const bytes = Buffer.from(`${day.lines.join('\n')}\n`, 'latin1');
      // small batches: SQLite writes block the event loop, and the server is already answering
      const source = bufferSource(day.fileName, bytes, `demo://${machine}/${day.fileName}`);
      results.push(await ingestor.ingest({ machine, source, kind: 'demo', final: true, batchRows: 5000 }));
    }
  }
  const summary = summarizeResults(results);
  await db.transaction().execute((trx) =>
    appendAudit(trx, { ...SYSTEM, entity: 'site', entityKey: 'site', action: 'seed-demo-data', after: { machines: summary.machines, days: config.QMFG_DEMO_DAYS, cycles: summary.cycles, until: yesterday } }),
  );
  // re-plans when demo lots matched operations, and publishes 'production' so open screens refetch
  await afterIngest(db, zone, options.events ?? null, summary, options.now);
  return { files: results.length, cycles: summary.cycles, ms: Date.now() - started };
}

// ---- users -------------------------------------------------------------------------------------

/**
 * Sign-in accounts for a database that has none: with the demo, one user per role (user name = the
 * role) with a generated password, returned so that the start-up banner prints it once; with
 * QMFG_DEMO=0 none, except the administrator named by QMFG_ADMIN_USERNAME/QMFG_ADMIN_PASSWORD.
 * The demo operator reports for two iTrak lines (Line 7 and Line 8).
 */
export async function seedUsers(db: Db, config: Config, demo: boolean): Promise<InitialLogin[]> {
  const logins = await ensureInitialUsers(db, config, demo, Date.now(), { operator: DEMO_OPERATOR_LINES });
  // the demo's finished lot is signed by its quality and lead users: it can only follow them
  if (demo) await seedFinishedLot(db, config.QMFG_TZ, Date.now());
  return logins;
}
