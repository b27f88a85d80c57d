// Plan against actual through the real app on each database (issue 15 item 6): a camera log ingested
// through the real ingest service gives lot runs (one lot interleaved with another), a stop with the
// operator's setup reason, lot-change changeovers; the shift-start plan is recorded once per shift
// (also with two writers at once) and shown with the drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { tempFolder, ZONE } from '../../testing/machine-data.js';
import { ingestFile } from '../machine-data/ingest.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { seedDemoOrders } from '../demo/orders.js';
import * as ordersRepo from '../orders/repository.js';
import { BASELINE_LOOKAHEAD_MS, recordShiftBaseline, shiftsOverlapping } from './baselines.js';
import * as repo from './repository.js';
import { getActuals } from './service.js';
import type { Actuals, MachineActuals } from './schemas.js';

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const stamp = (at: number) => DateTime.fromMillis(at, { zone: ZONE }).toFormat('LL/dd/yy HH:mm:ss.SSS');

/** Camera rows, one part every 450 ms over each [from, to) of a lot; returns the rows and the parts per segment. */
function cameraLog(segments: { item: string; lot: string; from: number; to: number }[]) {
  const rows: string[] = [];
  const parts: number[] = [];
  let serial = 1;
  for (const s of segments) {
    let n = 0;
    for (let at = s.from; at < s.to; at += 450, n++) rows.push(`${s.item},${s.lot},${serial++},1,${stamp(at)}`);
    parts.push(n);
  }
  return { text: `${rows.join('\r\n')}\r\n`, parts };
}

describe.each(DIALECTS)('plan against actual (%s)', (dialect) => {
  let t: TestApp;
  const folder = tempFolder('plan-actuals');
  // Tuesday 11 Oct 2022, the demo calendar's early shift 06:30–14:45
  const segments = [
    { item: '1330700', lot: '170001', from: local('2022-10-11T06:40'), to: local('2022-10-11T07:00') },
    // a 10-minute stop at 07:00, the operator gives it a setup reason
    { item: '1330700', lot: '170001', from: local('2022-10-11T07:10'), to: local('2022-10-11T08:00') },
    // lot change: 20 minutes
    { item: '1169100', lot: '170002', from: local('2022-10-11T08:20'), to: local('2022-10-11T09:00') },
    // back to the first lot after 5 minutes: its span covers the other lot's
    { item: '1330700', lot: '170001', from: local('2022-10-11T09:05'), to: local('2022-10-11T09:30') },
  ];
  const log = cameraLog(segments);
  // on Line 10 a lot comes back twice inside another's run: the minutes they share hold both lots' parts
  const alternating = [
    { item: '1330700', lot: '170003', from: local('2022-10-11T10:00'), to: local('2022-10-11T10:03:30') },
    { item: '1169100', lot: '170004', from: local('2022-10-11T10:03:30'), to: local('2022-10-11T10:04') },
    { item: '1330700', lot: '170003', from: local('2022-10-11T10:04'), to: local('2022-10-11T10:06') },
    { item: '1169100', lot: '170004', from: local('2022-10-11T10:06'), to: local('2022-10-11T10:07:15') },
    { item: '1330700', lot: '170003', from: local('2022-10-11T10:07:15'), to: local('2022-10-11T10:12') },
  ];
  const alternatingLog = cameraLog(alternating);

  beforeAll(async () => {
    t = await createTestApp(dialect, 'plan_actuals');
    // the demo's work orders: a plan on the iTrak lines to record at shift starts
    await t.database.db.transaction().execute((trx) => seedDemoOrders(trx, ZONE, Date.now()));
    const path = join(folder.path, 'PR20221011.txt');
    writeFileSync(path, log.text);
    await ingestFile(t.database.db, { machine: 'line11', path, zone: ZONE });
    const line10 = join(folder.path, 'line10', 'PR20221011.txt');
    mkdirSync(join(folder.path, 'line10'));
    writeFileSync(line10, alternatingLog.text);
    await ingestFile(t.database.db, { machine: 'line10', path: line10, zone: ZONE });
  });
  afterAll(async () => {
    folder.remove();
    await t?.close();
  });

  const actuals = async (query: string): Promise<Actuals> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/schedule/actuals?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const day = `group=pouching-itrak&from=${local('2022-10-11T00:00')}&to=${local('2022-10-12T00:00')}`;
  const line11 = (a: Actuals): MachineActuals => a.machines.find((m) => m.machine === 'line11')!;

  it('lot runs: consecutive cycles of one lot, the interleaved lot splits the other in two; products by item number', async () => {
    const { runs } = line11(await actuals(day));
    expect(runs.map((r) => [r.lot, r.product])).toEqual([['170001', 'strep-a-plus'], ['170002', 'flu-ab'], ['170001', 'strep-a-plus']]);
    expect(runs.map((r) => r.parts)).toEqual([log.parts[0] + log.parts[1], log.parts[2], log.parts[3]]);
    expect(runs[0].start).toBe(segments[0].from);
    expect(runs[1].start).toBe(segments[2].from);
    expect(runs[2].end).toBeGreaterThan(segments[3].to - 1000);
    expect(runs[2].end).toBeLessThan(segments[3].to);
    expect(runs[0].color).toBe('#d35400');
  });

  it('a lot that comes back twice inside another\'s run: five runs, each with its own parts', async () => {
    const runs = (await actuals(day)).machines.find((m) => m.machine === 'line10')!.runs;
    expect(runs.map((r) => r.lot)).toEqual(['170003', '170004', '170003', '170004', '170003']);
    expect(runs.map((r) => r.parts)).toEqual(alternatingLog.parts);
    expect(runs.map((r) => r.start)).toEqual(alternating.map((a) => a.from));
  });

  it('stops inside a run with class and the operator\'s setup reason; lot changes are changeovers', async () => {
    let { runs, changeovers } = line11(await actuals(day));
    expect(runs[0].stopCount).toBe(1);
    const [stop] = runs[0].stops;
    expect(stop.seconds).toBeGreaterThan(600);
    expect(stop.seconds).toBeLessThan(601);
    expect(stop.classLabel).toBe('≥ 300 s');
    expect(stop.changeover).toBe(false);
    expect(changeovers.map((c) => [c.kind, c.fromLot, c.toLot])).toEqual([['lot-change', '170001', '170002'], ['lot-change', '170002', '170001']]);
    expect(changeovers[0].end).toBe(segments[2].from);

    const put = await t.app.inject({ method: 'PUT', url: `/api/stops/line11/${stop.start}`, payload: { reason: 'format-change' } });
    expect(put.statusCode, put.body).toBe(200);
    ({ runs, changeovers } = line11(await actuals(day)));
    expect(runs[0].stops[0]).toMatchObject({ reason: 'format-change', category: 'setup', changeover: true });
    expect(changeovers.map((c) => c.kind)).toEqual(['setup-reason', 'lot-change', 'lot-change']);
    expect(changeovers[0].label).toMatch(/Format change/);
  });

  it('the shift-start plan and the drift: planned units of the past shift against the parts made', async () => {
    const calendar = await loadCalendarSpec(t.database.db);
    const [shift] = shiftsOverlapping(calendar, ZONE, local('2022-10-11T07:00'), local('2022-10-11T07:01'));
    expect(shift.start).toBe(local('2022-10-11T06:30'));
    await repo.insertBaselineShift(t.database.db, { shiftStart: shift.start, shiftEnd: shift.end, takenAt: shift.start + 5000 });
    // planned: 24 000 units over 06:30–10:30, half of it inside 08:30–10:30
    await repo.insertBaselineBars(t.database.db, [{ shiftStart: shift.start, lot: '170001', step: 0, machine: 'line11', start: local('2022-10-11T06:30'), end: local('2022-10-11T10:30'), remaining: 24_000, state: 'queued' }]);
    const a = await actuals(day);
    expect(a.shifts.find((s) => s.start === shift.start)).toMatchObject({ recorded: true, takenAt: shift.start + 5000 });
    const m = line11(a);
    expect(m.baseline).toEqual([expect.objectContaining({ lot: '170001', shownStart: local('2022-10-11T06:30'), shownEnd: local('2022-10-11T10:30'), product: null })]);
    expect(m.drift.hours).toBeCloseTo((shift.end - shift.start) / 3_600_000, 5);
    expect(m.drift.plannedParts).toBe(24_000);
    expect(m.drift.actualParts).toBe(log.parts.reduce((a, b) => a + b, 0));
    // a window of only 08:30–10:30 compares that part: half the plan, what was made then
    const part = line11(await actuals(`group=pouching-itrak&from=${local('2022-10-11T08:30')}&to=${local('2022-10-11T10:30')}`));
    expect(part.drift.plannedParts).toBe(12_000);
    expect(part.drift.actualParts).toBe(Math.ceil((segments[2].to - local('2022-10-11T08:30')) / 450) + log.parts[3]);
  });

  it('records the plan at a shift start once, also with two writers at once; the board reads it back', async () => {
    const db = t.database.db;
    const calendar = await loadCalendarSpec(db);
    const now = Date.now();
    const [next, after] = shiftsOverlapping(calendar, ZONE, now, now + 3 * 86_400_000).filter((s) => s.start > now);
    const taken = await recordShiftBaseline(db, ZONE, next.start + 60_000);
    expect(taken).toBe(next.start);
    expect(await recordShiftBaseline(db, ZONE, next.start + 120_000)).toBeNull();
    const expected = (await ordersRepo.listOperations(db))
      .filter((op) => (op.state === 'queued' || op.state === 'running') && op.machine_key && op.forecast_start !== null && op.forecast_end !== null)
      .filter((op) => op.forecast_end! > next.start && op.forecast_start! < next.end + BASELINE_LOOKAHEAD_MS)
      .map((op) => `${op.lot}/${op.step}@${op.machine_key}`)
      .sort();
    const machines = [...new Set((await ordersRepo.listOperations(db)).flatMap((op) => (op.machine_key ? [op.machine_key] : [])))];
    const bars = await repo.baselineBars(db, [next.start], machines);
    expect(expected.length).toBeGreaterThan(0);
    expect(bars.map((b) => `${b.lot}/${b.step}@${b.machine}`).sort()).toEqual(expected);

    const both = await Promise.all([recordShiftBaseline(db, ZONE, after.start + 1000), recordShiftBaseline(db, ZONE, after.start + 2000)]);
    expect(both.filter((r) => r !== null)).toEqual([after.start]);
    expect((await repo.baselineBars(db, [after.start], machines)).length).toBeGreaterThan(0);

    // as of a moment in that shift: the current job's end then and now (unchanged: 0 h)
    const seen = await getActuals(db, ZONE, 'pouching-itrak', next.start, next.end, next.start + 60_000);
    const line6 = seen.machines.find((m) => m.machine === 'line6')!;
    const queue = await ordersRepo.machineQueue(db, 'line6');
    expect(line6.drift.currentLot).toBe(queue[0].lot);
    expect(line6.drift.hoursBehind).toBe(0);
    expect(line6.baseline.length).toBeGreaterThan(0);
    expect(seen.shifts.find((s) => s.start === next.start)?.recorded).toBe(true);
  });

  it('bad input: 400 naming the field; an unknown group 404', async () => {
    const bad = await t.app.inject({ method: 'GET', url: `/api/schedule/actuals?group=pouching-itrak&from=${local('2022-10-11T00:00')}&to=${local('2022-10-10T00:00')}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/to/);
    const long = await t.app.inject({ method: 'GET', url: `/api/schedule/actuals?group=pouching-itrak&from=${local('2022-01-01T00:00')}&to=${local('2022-10-10T00:00')}` });
    expect(long.statusCode).toBe(400);
    const unknown = await t.app.inject({ method: 'GET', url: `/api/schedule/actuals?group=nope&from=${local('2022-10-11T00:00')}&to=${local('2022-10-12T00:00')}` });
    expect(unknown.statusCode).toBe(404);
  });
});
