import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { seedDemoOrders } from '../demo/orders.js';
import { ingestorFor } from '../machine-data/ingest.js';
import { ProductionNotifier, SILENT_LOG } from '../machine-data/notifier.js';
import * as machineRepo from '../machine-data/repository.js';
import * as ordersRepo from '../orders/repository.js';
import { boardJobs, Simulation } from './runner.js';
import { inProcessSink } from './sinks.js';
import type { SimulationHolder } from './routes.js';

const ITRAK = ['line6', 'line7', 'line8', 'line9', 'line10', 'line11'];

// The app with the demo plant and its work orders; the simulation ticks with a fake "now" in working time.
describe.each(DIALECTS)('simulation in process on %s', (dialect) => {
  let t: TestApp;
  let simulation: Simulation;
  const holder: SimulationHolder = { current: null };
  let zone: string;
  let at: number;
  let fakeNow = 0;
  const tickAt = (instant: number) => {
    fakeNow = instant;
    return simulation.tick();
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, 'simulation', { build: { simulation: holder } });
    zone = t.database.config.QMFG_TZ;
    at = DateTime.now().setZone(zone).startOf('day').set({ hour: 9 }).toMillis();
    await t.database.db.transaction().execute((trx) => seedDemoOrders(trx, zone, at, { simulated: ITRAK }));
    fakeNow = at;
    const ingestor = ingestorFor(t.database.db, zone);
    const notifier = new ProductionNotifier(t.database.db, zone, t.events, SILENT_LOG, 0);
    simulation = new Simulation({ db: t.database.db, zone, seed: 1, machines: ['line6', 'line9'], sink: inProcessSink({ ingestor, notifier, zone, log: SILENT_LOG }), log: SILENT_LOG, clock: () => fakeNow });
    holder.current = simulation;
  });
  afterAll(async () => {
    await simulation?.close();
    await t?.close();
  });

  it('the demo keeps every iTrak line busy: 2–3 lots queued, more than a week of work at ~140/min', async () => {
    for (const machine of ITRAK) {
      const jobs = await boardJobs(t.database.db, machine);
      expect(jobs.length, machine).toBeGreaterThanOrEqual(2);
      expect(jobs.length, machine).toBeLessThanOrEqual(3);
      // a week of 16.5 working hours a day at 140 a minute
      expect(jobs.reduce((sum, job) => sum + job.quantity - job.produced, 0), machine).toBeGreaterThan(7 * 16.5 * 60 * 140);
      // the living demo's lines count from machine data only
      expect(jobs.every((job) => job.produced === 0), machine).toBe(true);
    }
  });

  it('stores cycles for the lot at the head of the board, and the operation produced rises', async () => {
    const head = (await boardJobs(t.database.db, 'line6'))[0];
    expect(head.lot).toBe('160101');
    const before = (await ordersRepo.listOperations(t.database.db, ['160101'])).find((op) => op.step === 0)?.produced ?? 0;
    await tickAt(at);
    await tickAt(at + 10 * 60_000);
    const stored = await machineRepo.cyclesInArrivalOrder(t.database.db, 'line6');
    expect(stored.length).toBeGreaterThan(500);
    expect(new Set(stored.filter((c) => c.part).map((c) => c.lot))).toEqual(new Set(['160101']));
    const after = (await ordersRepo.listOperations(t.database.db, ['160101'])).find((op) => op.step === 0);
    expect(after?.state).toBe('running');
    // the lot's cycles on the machine are its count (nothing seeded to drop below); a second tick adds to them
    const firstCount = Number(after?.produced);
    expect(firstCount).toBeGreaterThan(400);
    expect(firstCount).toBeLessThanOrEqual(stored.filter((c) => c.part).length);
    await tickAt(at + 20 * 60_000);
    const later = (await ordersRepo.listOperations(t.database.db, ['160101'])).find((op) => op.step === 0);
    expect(Number(later?.produced)).toBeGreaterThan(firstCount);
    expect(before).toBe(0);
  });

  it('pause (admin API): no cycles and the machine reported stopped; resume: cycles again', async () => {
    const paused = await t.app.inject({ method: 'POST', url: '/api/simulation/machines/line6/pause' });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ machine: 'line6', paused: true, lot: '160101' });
    const states = await machineRepo.reportedStates(t.database.db, ['line6']);
    expect(states.get('line6')?.state).toBe('stopped');
    const count = await machineRepo.countCycles(t.database.db, 'line6');
    const tick = await tickAt(at + 30 * 60_000);
    expect(tick.machines.find((m) => m.machine === 'line6')?.cycles).toBe(0);
    expect(await machineRepo.countCycles(t.database.db, 'line6')).toBe(count);
    expect((await t.app.inject('/api/simulation')).json().machines.find((m: { machine: string }) => m.machine === 'line6').paused).toBe(true);

    fakeNow = at + 35 * 60_000;
    const resumed = await t.app.inject({ method: 'POST', url: '/api/simulation/machines/line6/resume' });
    expect(resumed.statusCode).toBe(200);
    expect((await machineRepo.reportedStates(t.database.db, ['line6'])).get('line6')?.state).toBe('running');
    await tickAt(at + 40 * 60_000);
    const cycles = await machineRepo.cyclesInArrivalOrder(t.database.db, 'line6');
    expect(cycles.length).toBeGreaterThan(count);
    // nothing back-dated into the pause
    expect(cycles.filter((c) => c.at > at + 20 * 60_000 && c.at < at + 35 * 60_000)).toHaveLength(0);
  });

  it('a lot that reaches its quantity is done when the machine starts the next one, which heads the board', async () => {
    const [first, second] = await boardJobs(t.database.db, 'line9');
    // a small order, so that the simulated line finishes it within the hour
    await t.database.db.updateTable('work_orders').set({ quantity: 2000 }).where('lot', '=', first.lot).execute();
    for (let minutes = 50; minutes <= 200; minutes += 10) await tickAt(at + minutes * 60_000);
    const [done] = (await ordersRepo.listOperations(t.database.db, [first.lot])).filter((op) => op.step === 0);
    const [next] = (await ordersRepo.listOperations(t.database.db, [second.lot])).filter((op) => op.step === 0);
    const cycles = (await machineRepo.cyclesInArrivalOrder(t.database.db, 'line9')).filter((c) => c.part);
    const lastOfFirst = Math.max(...cycles.filter((c) => c.lot === first.lot).map((c) => c.at));
    const firstOfSecond = Math.min(...cycles.filter((c) => c.lot === second.lot).map((c) => c.at));
    expect(firstOfSecond).toBeGreaterThan(lastOfFirst);
    expect(done).toMatchObject({ state: 'done', position: null, actual_end: lastOfFirst });
    expect(Number(done.produced)).toBeGreaterThanOrEqual(2000);
    expect(next).toMatchObject({ state: 'running', position: 0, machine_key: 'line9' });
    expect((await boardJobs(t.database.db, 'line9'))[0].lot).toBe(second.lot);
    const audit = await t.database.db.selectFrom('audit_log').selectAll().where('entity_key', '=', first.lot).where('action', '=', 'close').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'system', source: 'machine data' });
    expect(String(audit[0].reason)).toContain(`started lot ${second.lot}`);
  });

  it('is admin only, and an unknown machine is a 404', async () => {
    const viewer = await t.as('viewer');
    expect((await viewer.inject({ method: 'POST', url: '/api/simulation/machines/line6/pause' })).statusCode).toBe(403);
    expect((await viewer.inject('/api/simulation')).statusCode).toBe(403);
    const unknown = await t.app.inject({ method: 'POST', url: '/api/simulation/machines/nope/pause' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toContain("'nope'");
  });
});
