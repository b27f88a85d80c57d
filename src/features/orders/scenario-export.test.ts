// The exported scenario, planned by the pure scheduler, must give exactly the forecasts the app stored.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workingIntervals, type CalendarSpec } from '../../core/calendar/index.js';
import { parseScenario, plan, scenarioToPlanInput, type PlanResult } from '../../core/schedule/index.js';
import { SYSTEM } from '../audit/who.js';
import * as calendarRepo from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { getChangeoverMatrix, replaceChangeoverMatrix, setLastFamily } from '../plant/changeovers.js';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import type { DialectName } from '../../db/database.js';
import { getBoard } from './board.js';
import { cachedWorkingTime, replan } from './planner.js';
import * as repo from './repository.js';
import * as service from './service.js';
import { exportScenario } from './scenario-export.js';

const ZONE = 'America/Los_Angeles';
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
// a Monday morning; the week after holds a one-shift override and a holiday
const NOW = DateTime.fromISO('2026-11-23T09:17:42.123', { zone: ZONE }).toMillis();

/** A small plant state touching every input of the plan: queues, counts, done/held/parked, gates, observed rates, calendar exceptions. */
async function buildPlantState(t: TestApp, now: number): Promise<void> {
  const ctx: service.OrdersContext = { db: t.database.db, zone: ZONE, now: () => now };
  const db = t.database.db;
  await db.transaction().execute(async (trx) => {
    const oneShift: [string, string][] = [['06:30', '14:45']];
    await calendarRepo.insertWeek(trx, '2026-W49', { mon: oneShift, tue: oneShift, wed: oneShift, thu: oneShift, fri: oneShift, sat: [], sun: [] }, now);
    await calendarRepo.insertHoliday(trx, { date: '2026-11-26', name: 'Thanksgiving' });
  });
  const create = (lot: string, product: string, quantity: number, due: string | null = null, rateMode: 'standard' | 'observed' | null = null) =>
    service.createWorkOrder(ctx, SYSTEM, { lot, product, quantity, due, priority: 0, notes: '', rateMode });
  const load = (lot: string, step: number, machine: string) => service.loadOperation(ctx, SYSTEM, lot, step, { machine, mode: 'append' });

  await create('0159070', 'strep-a-plus', 200_000, '2026-11-25'); // late
  await create('159071', 'flu-ab', 60_000, '2026-12-20T12:00');
  await create('159072', 'rsv', 20_000);
  await create('159073', 'sars-ag', 8000);
  await create('159074', 'flu-sars', 30_000, null, 'observed');
  await create('159075', 'strep-a-inline', 10_000);
  await create('159076', 'rsv', 5000); // stays parked
  await create('159077', 'rsv', 1000); // done completely: not part of the scenario

  await load('0159070', 0, 'line7');
  await load('0159070', 1, 'kit1');
  await load('159071', 0, 'line7');
  await service.setCounts(ctx, SYSTEM, '159071', 0, { produced: 12_345 });
  await load('159071', 1, 'kit1');
  // pouched and closed a while ago: kitting waits for its actual end + the 24 h QC release
  const earlier = { ...ctx, now: () => now - 20 * 3_600_000 };
  await service.loadOperation(earlier, SYSTEM, '159072', 0, { machine: 'line8', mode: 'append' });
  await service.closeOperation(earlier, SYSTEM, '159072', 0, undefined, 'test fixture: pouched elsewhere');
  await load('159072', 1, 'kit2');
  await load('159073', 0, 'line8');
  await service.holdOperation(ctx, SYSTEM, '159073', 0, true);
  await load('159074', 0, 'line9');
  await load('159075', 0, 'dip-a');
  await load('159075', 1, 'kit2');
  await load('159077', 0, 'line10');
  await service.closeOperation(ctx, SYSTEM, '159077', 0, undefined, 'test fixture: pouched elsewhere');
  await load('159077', 1, 'kit3');
  await service.closeOperation(ctx, SYSTEM, '159077', 1, undefined, 'test fixture: kitted elsewhere');
  // the machine-data feature writes observed rates; this lot forecasts with it
  await repo.updateOperation(db, '159074', 0, { observed_rate_per_hour: 3250.5 });
  // changeovers on the iTrak lines, and what line 8 ran last (its first job changes over from it)
  const matrix = await getChangeoverMatrix(db, 'pouching-itrak');
  await replaceChangeoverMatrix(db, SYSTEM, 'pouching-itrak', { version: matrix.version, rules: [{ from: '*', to: '*', minutes: 45 }, { from: 'flu', to: 'strep', minutes: 90 }] });
  const kitting = await getChangeoverMatrix(db, 'kitting');
  await replaceChangeoverMatrix(db, SYSTEM, 'kitting', { version: kitting.version, rules: [{ from: '*', to: '*', minutes: 15 }] });
  const line8 = await plantRepo.getMachine(db, 'line8');
  await setLastFamily(db, SYSTEM, 'line8', { family: 'strep', version: line8!.version });
  await db.transaction().execute((trx) => replan(trx, ZONE, now));
}

/** What the app stored, in the shape of the planner's result. */
async function storedForecasts(t: TestApp, lots: string[]): Promise<Map<string, { start: number | null; end: number | null; late: boolean }>> {
  const ops = await repo.listOperations(t.database.db, lots);
  return new Map(
    ops.map((op) => [
      `${op.lot}/${op.step}`,
      op.state === 'done' ? { start: op.actual_start, end: op.actual_end, late: false } : { start: op.forecast_start, end: op.forecast_end, late: op.late === 1 },
    ]),
  );
}

function plannedFromFile(text: string): PlanResult {
  return plan(scenarioToPlanInput(parseScenario(JSON.parse(text))));
}

// The app plans with cachedWorkingTime, the scenario with plain workingIntervals: they must agree.
describe('cached working time', () => {
  const nightShift: [string, string][] = [['22:00', '06:00']];
  const calendar: CalendarSpec = {
    default: { mon: [['06:30', '14:45'], ['14:45', '23:00']], tue: nightShift, wed: nightShift, thu: [], fri: [['00:00', '24:00']], sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] },
    weeks: { '2026-W11': { mon: [['01:30', '03:30']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [['01:00', '04:00']] } },
    holidays: ['2026-03-10', '2026-11-26'],
  };

  it('equals workingIntervals for windows across week seams, DST changes, overrides and holidays', () => {
    for (const zone of [ZONE, 'Europe/Berlin', 'UTC']) {
      const cached = cachedWorkingTime(calendar, zone);
      let from = DateTime.fromISO('2026-03-01T03:17', { zone }).toMillis();
      for (let i = 0; i < 60; i++) {
        // windows of 1 h to ~3 weeks, starting anywhere (the scheduler asks for growing windows from "now")
        const to = from + 3_600_000 * (1 + ((i * 37) % 500));
        expect(cached(from, to)).toEqual(workingIntervals(calendar, zone, from, to));
        from += 3_600_000 * (5 + ((i * 13) % 90));
      }
      expect(cached(from, from)).toEqual([]);
    }
  });

  it('follows an edited calendar (keyed by content, not by object)', () => {
    const edited: CalendarSpec = { ...calendar, holidays: [...calendar.holidays, '2026-12-25'] };
    const from = DateTime.fromISO('2026-12-21', { zone: ZONE }).toMillis();
    const to = from + 7 * 86_400_000;
    expect(cachedWorkingTime(calendar, ZONE)(from, to)).toEqual(workingIntervals(calendar, ZONE, from, to));
    expect(cachedWorkingTime(edited, ZONE)(from, to)).toEqual(workingIntervals(edited, ZONE, from, to));
    expect(cachedWorkingTime(edited, ZONE)(from, to)).not.toEqual(cachedWorkingTime(calendar, ZONE)(from, to));
  });
});

describe.each(DIALECTS)('scenario export on %s', (dialect: DialectName) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'scenario-export');
    await buildPlantState(t, NOW);
  });
  afterAll(async () => t?.close());

  it('writes the plant and the open work orders in the qmfg plan format', async () => {
    const scenario = await exportScenario(t.database.db, ZONE, NOW);
    expect(scenario.timezone).toBe(ZONE);
    expect(scenario.now).toBe('2026-11-23T09:17:42.123-08:00');
    expect(scenario.calendar.weeks).toEqual({ '2026-W49': expect.objectContaining({ mon: [['06:30', '14:45']], sat: [] }) });
    expect(scenario.calendar.holidays).toEqual(['2026-11-26']);
    expect(scenario.calendar.default.mon).toEqual([['06:30', '14:45'], ['14:45', '23:00']]);
    expect(scenario.machines).toHaveLength(19);
    expect(scenario.machines).toContainEqual({ key: 'dip-a', group: 'pouching-dipstick' });
    expect(scenario.products.find((p) => p.key === 'strep-a-plus')?.routing).toEqual([
      { group: 'pouching-itrak', ratePerHour: 5000, setupMinutes: 30, gateHours: 24 },
      { group: 'kitting', ratePerHour: 4000, setupMinutes: 20, gateHours: 0 },
    ]);
    expect(scenario.workOrders.map((wo) => wo.lot)).toEqual(['0159070', '159071', '159072', '159073', '159074', '159075', '159076']);
    const byLot = new Map(scenario.workOrders.map((wo) => [wo.lot, wo]));
    expect(byLot.get('0159070')).toMatchObject({ product: 'strep-a-plus', quantity: 200_000, due: '2026-11-26T00:00:00.000-08:00', rateMode: 'recommended' }); // the site default (issue 12 item 2)
    // counts reported: production started at that moment
    expect(byLot.get('159071')!.operations![0]).toEqual({ step: 0, machine: 'line7', position: 1, state: 'queued', produced: 12_345, actualStart: '2026-11-23T09:17:42.123-08:00' });
    expect(byLot.get('159072')!.operations![0]).toMatchObject({ step: 0, machine: null, state: 'done', actualEnd: '2026-11-22T13:17:42.123-08:00' });
    expect(byLot.get('159073')!.operations![0]).toMatchObject({ machine: 'line8', state: 'held' });
    expect(byLot.get('159074')).toMatchObject({ rateMode: 'observed', operations: [expect.objectContaining({ observedRatePerHour: 3250.5 }), expect.anything()] });
  });

  it('planned by the pure scheduler, it reproduces the forecasts the app stored at the same now', async () => {
    const text = JSON.stringify(await exportScenario(t.database.db, ZONE, NOW));
    const result = plannedFromFile(text);
    const lots = [...new Set(result.operations.map((op) => op.lot))];
    const stored = await storedForecasts(t, lots);
    expect(result.operations).toHaveLength(stored.size);
    for (const op of result.operations) {
      expect({ id: `${op.lot}/${op.step}`, start: op.start, end: op.end, late: op.late }).toEqual({ id: `${op.lot}/${op.step}`, ...stored.get(`${op.lot}/${op.step}`) });
    }
    // the state is rich enough for the comparison to mean something: changeovers included
    expect(result.operations.some((op) => op.changeoverMinutes === 15)).toBe(true);
    const scenario = JSON.parse(text);
    expect(scenario.changeovers).toEqual(expect.arrayContaining([{ group: 'pouching-itrak', from: 'flu', to: 'strep', minutes: 90 }, { group: 'kitting', from: '*', to: '*', minutes: 15 }]));
    expect(scenario.machines).toContainEqual({ key: 'line8', group: 'pouching-itrak', lastFamily: 'strep' });
    expect(scenario.products.find((p: { key: string }) => p.key === 'flu-ab').family).toBe('flu');
    const planned = result.operations.filter((op) => op.end !== null);
    expect(planned.length).toBeGreaterThanOrEqual(8);
    expect(result.operations.some((op) => op.late)).toBe(true);
    expect(result.unplanned.map((u) => u.reason).sort()).toEqual(['held', 'parked', 'parked', 'parked', 'parked']);
  });

  // The board filters in SQL; on the same plant state it must show what a plain filter of every operation shows.
  it('board data: lanes hold the open operations overlapping the window (or unplanned), the parking lot every parked one of the group', async () => {
    const db = t.database.db;
    const [ops, workOrders, products] = await Promise.all([repo.listOperations(db), repo.listWorkOrders(db), plantRepo.listProducts(db)]);
    const productOf = new Map(workOrders.map((wo) => [wo.lot, products.find((p) => p.key === wo.product_key)!]));
    const windows = [
      [NOW - 86_400_000, NOW + 2 * 86_400_000],
      [NOW + 3 * 86_400_000, NOW + 30 * 86_400_000],
    ];
    let lanesSeen = 0;
    for (const group of ['pouching-itrak', 'kitting', 'pouching-dipstick']) {
      const machines = (await plantRepo.listMachines(db, group)).map((m) => m.key);
      for (const [from, to] of windows) {
        const board = await getBoard(db, ZONE, group, from, to, NOW);
        const open = ops.filter((op) => op.state !== 'done' && productOf.get(op.lot)!.routing[op.step].group === group);
        const expectedLanes = machines.map((machine) => ({
          machine,
          bars: open
            .filter((op) => op.state !== 'parked' && op.machine_key === machine)
            .filter((op) => op.forecast_start === null || op.forecast_end === null || (op.forecast_end > from && op.forecast_start < to))
            .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
            .map((op) => `${op.lot}/${op.step}`),
        }));
        expect(board.lanes.map((lane) => ({ machine: lane.machine, bars: lane.bars.map((b) => `${b.lot}/${b.step}`) }))).toEqual(expectedLanes);
        const expectedParked = open.filter((op) => op.state === 'parked' || op.machine_key === null).map((op) => `${op.lot}/${op.step}`);
        expect(board.parked.map((b) => `${b.lot}/${b.step}`).sort()).toEqual(expectedParked.sort());
        lanesSeen += board.lanes.reduce((n, lane) => n + lane.bars.length, 0);
      }
    }
    const line7 = (await getBoard(db, ZONE, 'pouching-itrak', NOW - 86_400_000, NOW + 400 * 86_400_000, NOW)).lanes.find((l) => l.machine === 'line7')!;
    expect(line7.bars[1]).toMatchObject({ lot: '159071', step: 0, quantity: 60_000, produced: 12_345, state: 'queued', version: expect.any(Number), due: Date.parse('2026-12-20T20:00:00Z') });
    expect(lanesSeen).toBeGreaterThan(4);
  });
});

describe('qmfg export --scenario', () => {
  let t: TestApp;
  const folder = mkdtempSync(join(tmpdir(), 'qmfg-export-'));
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'scenario-cli');
    await buildPlantState(t, Date.now());
  });
  afterAll(async () => {
    await t?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const qmfg = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: t.database.url, QMFG_TZ: ZONE, LOG_LEVEL: 'silent' },
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('writes a file that plans to the forecasts the app stores for the same now', async () => {
    const out = join(folder, 'plant.json');
    const before = Date.now();
    const run = qmfg('export', '--scenario', '--out', out);
    expect(run.stderr).toBe(`qmfg: wrote the scenario (7 open work orders, 19 machines, 6 products) to ${out}\n`);
    expect(run.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    const now = DateTime.fromISO(JSON.parse(text).now).toMillis();
    // "now" is the time of the export
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
    await t.database.db.transaction().execute((trx) => replan(trx, ZONE, now));
    const result = plannedFromFile(text);
    const stored = await storedForecasts(t, [...new Set(result.operations.map((op) => op.lot))]);
    expect(result.operations.map((op) => ({ id: `${op.lot}/${op.step}`, start: op.start, end: op.end, late: op.late }))).toEqual(
      [...stored.entries()].map(([id, f]) => ({ id, ...f })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    // and `qmfg plan` itself accepts the file
    const planned = qmfg('plan', out, '--json');
    expect(planned.status).toBe(0);
    expect(JSON.parse(planned.stdout).operations).toHaveLength(result.operations.length);
  });

  it('writes to standard output without --out, and asks what to export without --scenario', () => {
    const run = qmfg('export', '--scenario');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).workOrders).toHaveLength(7);
    const bare = qmfg('export');
    expect(bare.status).toBe(1);
    expect(bare.stderr).toBe('qmfg: say what to export: --scenario (the plant and open work orders as a `qmfg plan` scenario)\n');
  });
});
