// The planner with families and changeover matrices (issue 15): a changeover lengthens a queued job's
// forecast by exactly its working minutes (stored with the forecast, shown on the board and the work
// order), and a machine's first job changes over from the family known last — the planner's setting
// unless a job on the machine finished after it was set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totalMs, workingIntervals } from '../../core/calendar/index.js';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { machineLastFamilies } from './planner.js';
import * as repo from './repository.js';

describe('machineLastFamilies', () => {
  const workOrders = [{ lot: 'A', product_key: 'flu-ab' }, { lot: 'B', product_key: 'rsv' }];
  const products = [{ key: 'flu-ab', family: 'flu' }, { key: 'rsv', family: null }];
  const done = (lot: string, machine: string, at: number) => ({ lot, state: 'done' as const, machine_key: machine, actual_end: at });

  it("takes the planner's setting unless a job on the machine finished after it was set", () => {
    const set = new Map([
      ['m1', { family: 'strep', setAt: 100 }],
      ['m2', { family: 'strep', setAt: 100 }],
      ['m3', { family: null, setAt: 100 }],
      ['m4', { family: null, setAt: null }],
    ]);
    const ops = [done('A', 'm1', 50), done('A', 'm2', 150), done('B', 'm2', 120), done('A', 'm3', 90), done('B', 'm5', 10), done('A', 'm5', 5)];
    // a queued job's planned times do not count: only what finished
    const queued = { lot: 'B', state: 'queued' as const, machine_key: 'm1', actual_end: null };
    const result = machineLastFamilies(set, [...ops, queued], workOrders, products);
    expect(result.get('m1')).toBe('strep'); // set after the last finish
    expect(result.get('m2')).toBe('flu'); // the latest finish (A at 150), after the setting
    expect(result.get('m3')).toBeNull(); // cleared after the last finish: unknown
    expect(result.get('m4')).toBeNull(); // neither
    expect(result.get('m5')).toBe('rsv'); // never set: the last finish, a product without a family is its own
  });
});

describe.each(DIALECTS)('changeovers in the plan on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'changeover-plan');
  });
  afterAll(async () => t?.close());

  const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const setMatrix = async (rules: { from: string; to: string; minutes: number }[]) => {
    const { version } = await ok('GET', '/api/process-groups/pouching-itrak/changeovers');
    await ok('PUT', '/api/process-groups/pouching-itrak/changeovers', { version, rules });
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 3));
  const setLastFamily = (family: string | null) => ok('PUT', '/api/machines/line9/last-family', { family });
  const pouching = async (lot: string) => (await repo.listOperations(t.database.db, [lot])).find((op) => op.step === 0)!;
  const workingMinutesBetween = async (from: number, to: number) =>
    totalMs(workingIntervals(await loadCalendarSpec(t.database.db), t.database.config.QMFG_TZ, from, to)) / 60_000;

  it('lengthens the second job of another family by the rule, and stores it with the forecast', async () => {
    await ok('POST', '/api/work-orders', { lot: 'CO-A', product: 'flu-ab', quantity: 10_000 });
    await ok('POST', '/api/work-orders', { lot: 'CO-B', product: 'strep-a-plus', quantity: 10_000 });
    await ok('POST', '/api/work-orders/CO-A/operations/0/load', { machine: 'line9', mode: 'append' });
    await ok('POST', '/api/work-orders/CO-B/operations/0/load', { machine: 'line9', mode: 'append' });
    const without = await pouching('CO-B');
    expect(without.forecast_changeover_minutes).toBe(0);

    // saving the matrix re-plans: flu → strep has its own rule
    await setMatrix([{ from: '*', to: '*', minutes: 45 }, { from: 'flu', to: 'strep', minutes: 90 }]);
    const first = await pouching('CO-A');
    const second = await pouching('CO-B');
    // the machine's first job: its last family is unknown, so no changeover
    expect(first.forecast_changeover_minutes).toBe(0);
    expect(second.forecast_changeover_minutes).toBe(90);
    // the same start but for the time between the two re-plans (during a shift the first job starts now)
    expect(second.forecast_start! - without.forecast_start!).toBeGreaterThanOrEqual(0);
    expect(second.forecast_start! - without.forecast_start!).toBeLessThan(60_000);
    // to the second (the stored instants are whole milliseconds of a plan made at a moving "now")
    expect(Math.abs((await workingMinutesBetween(second.forecast_start!, second.forecast_changeover_end!)) - 90)).toBeLessThan(1 / 60);
    expect(second.forecast_end! > without.forecast_end!).toBe(true);
    // later by the rule's 90 working minutes, beyond the time the start moved between the two re-plans
    const moved = await workingMinutesBetween(without.forecast_start!, second.forecast_start!);
    expect(Math.abs((await workingMinutesBetween(without.forecast_end!, second.forecast_end!)) - moved - 90)).toBeLessThan(1 / 60);

    // the work order and the board show it
    const view = await ok('GET', '/api/work-orders/CO-B');
    expect(view.operations[0]).toMatchObject({ changeoverMinutes: 90, changeoverEnd: new Date(second.forecast_changeover_end!).toISOString() });
    const board = await ok('GET', `/api/schedule/board?group=pouching-itrak&from=${second.forecast_start! - 3_600_000}&to=${second.forecast_end! + 3_600_000}`);
    const bar = board.lanes.find((l: { machine: string }) => l.machine === 'line9').bars.find((b: { lot: string }) => b.lot === 'CO-B');
    expect(bar).toMatchObject({ changeoverMinutes: 90, changeoverEnd: second.forecast_changeover_end, start: second.forecast_start, end: second.forecast_end });
  });

  it("changes the machine's first job over from the family known last", async () => {
    // the planner says line9 last ran strep: strep → flu falls to * → *
    await setLastFamily('strep');
    expect((await pouching('CO-A')).forecast_changeover_minutes).toBe(45);
    await setLastFamily('flu');
    expect((await pouching('CO-A')).forecast_changeover_minutes).toBe(0);
    await setLastFamily(null);
    expect((await pouching('CO-A')).forecast_changeover_minutes).toBe(0);

    // CO-A finishes after the setting: line9 last ran flu, so CO-B (now first) changes flu → strep
    await setLastFamily('covid');
    await tick(); // "after" is by the clock: a later millisecond
    await ok('POST', '/api/work-orders/CO-A/operations/0/close', { reason: 'test lot, nothing produced' });
    const next = await pouching('CO-B');
    expect(next.position).toBe(0);
    expect(next.forecast_changeover_minutes).toBe(90);
    // a setting after that finish wins again
    await tick();
    await setLastFamily('strep');
    expect((await pouching('CO-B')).forecast_changeover_minutes).toBe(0);
    expect((await pouching('CO-B')).forecast_changeover_end).toBe((await pouching('CO-B')).forecast_start);
  });
});
