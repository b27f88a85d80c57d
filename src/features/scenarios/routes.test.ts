// What-if scenarios over the API on each database. Independent of the time of day: the demo calendar
// works 06:30–23:00 every day (16.5 h), and each lot asserted on runs for days, so a day taken out or
// added moves it by a whole day of work wherever "now" falls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import * as plantRepo from '../plant/repository.js';
import * as calendarRepo from '../calendar/repository.js';
import type { Comparison, ScenarioView } from './schemas.js';

const ZONE = 'America/Los_Angeles';
const DAY_WORKING_HOURS = 16.5;

describe.each(DIALECTS)('what-if scenarios API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'scenarios');
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const create = async (lot: string, quantity: number, product = 'strep-a-plus', due: string | null = null) =>
    expect((await inject('POST', '/api/work-orders', { lot, product, quantity, due })).status).toBe(201);
  const load = async (lot: string, step: number, machine: string) =>
    expect((await inject('POST', `/api/work-orders/${lot}/operations/${step}/load`, { machine, mode: 'append' })).status).toBe(200);
  const scenario = async (name: string, edits: unknown[] = []): Promise<ScenarioView> => {
    const res = await inject('POST', '/api/scenarios', { name, edits });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const comparison = async (id: number): Promise<Comparison> => {
    const res = await inject('GET', `/api/scenarios/${id}/compare`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const finish = (c: Comparison, lot: string) => c.finishes.find((f) => f.lot === lot)!;
  const use = (c: Comparison, machine: string) => c.utilisation.find((u) => u.machine === machine)!;
  const auditCount = async () => Number((await t.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const localDate = (days: number) => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;

  it('sets up two long lots on line 7 and one on line 6', async () => {
    // 500 000 at 5000/h = 100.5 working hours on line 7 (six days), then 50 000; line 6: 50 000 (10.5 h)
    await create('WI-7A', 500_000);
    await load('WI-7A', 0, 'line7');
    await create('WI-7B', 50_000);
    await load('WI-7B', 0, 'line7');
    await create('WI-6A', 50_000);
    await load('WI-6A', 0, 'line6');
  });

  it('a new scenario without edits plans as the live plan', async () => {
    const s = await scenario('Copy only');
    expect(s).toMatchObject({ state: 'open', version: 1, edits: [], liveChanges: { changed: false, machines: [] }, createdBy: t.admin.username });
    const c = await comparison(s.id);
    expect(c.kpis.scenario).toEqual(c.kpis.live);
    expect(c.finishes.map((f) => f.lot).sort()).toEqual(['WI-6A', 'WI-7A', 'WI-7B']);
    expect(c.finishes.every((f) => !f.changed && f.differenceHours === 0)).toBe(true);
    expect(c.window.to - c.window.from).toBe(28 * 86_400_000);
    // 4 weeks of 16.5 h, give or take the part of today already gone
    expect(use(c, 'line7').live.availableHours).toBeGreaterThan(27 * DAY_WORKING_HOURS - 0.01);
    expect(use(c, 'line7').live.availableHours).toBeLessThanOrEqual(28 * DAY_WORKING_HOURS + 0.01);
  });

  it("a line down for a day makes that line's orders a day of work later and leaves the others", async () => {
    const s = await scenario('Line 7 down tomorrow', [{ kind: 'machineDown', machine: 'line7', from: localDate(1), to: localDate(2) }]);
    expect(s.edits[0]).toMatchObject({ id: 1, kind: 'machineDown', from: DateTime.fromISO(localDate(1), { zone: ZONE }).toUTC().toISO() });
    const c = await comparison(s.id);
    for (const lot of ['WI-7A', 'WI-7B']) {
      const f = finish(c, lot);
      // 16.5 working hours later = the same time of day one plant-local day later
      expect(f.scenarioEnd).toBe(DateTime.fromMillis(f.liveEnd!, { zone: ZONE }).plus({ days: 1 }).toMillis());
      expect(f.changed).toBe(true);
    }
    expect(finish(c, 'WI-6A')).toMatchObject({ changed: false, differenceHours: 0 });
    expect(c.finishes.slice(0, 2).map((f) => f.lot).sort()).toEqual(['WI-7A', 'WI-7B']);
    expect(use(c, 'line7').live.availableHours - use(c, 'line7').scenario.availableHours).toBeCloseTo(DAY_WORKING_HOURS, 6);
    expect(use(c, 'line6').scenario).toEqual(use(c, 'line6').live);
    expect(c.kpis.scenario.lastEnd! - c.kpis.live.lastEnd!).toBeGreaterThan(20 * 3_600_000);
  });

  it('an extra shift, a quantity, a move and a rush order each change the comparison their way', async () => {
    const s = await scenario('Mixed', [
      { kind: 'addShift', date: localDate(1), from: '23:00', to: '24:00' },
      { kind: 'quantity', lot: 'WI-6A', quantity: 100_000 },
      { kind: 'move', lot: 'WI-7B', step: 0, machine: 'line8', position: 0 },
      { kind: 'rushOrder', lot: 'WI-RUSH', product: 'flu-ab', quantity: 10_000, due: localDate(3) },
    ]);
    const c = await comparison(s.id);
    // one more working hour for every machine
    expect(use(c, 'kit1').scenario.availableHours - use(c, 'kit1').live.availableHours).toBeCloseTo(1, 6);
    // twice the quantity: 10 more working hours planned on line 6 (all of it within the 4 weeks)
    expect(use(c, 'line6').scenario.plannedHours - use(c, 'line6').live.plannedHours).toBeCloseTo(10, 6);
    expect(finish(c, 'WI-6A').differenceHours!).toBeGreaterThan(0);
    // moved from behind a six-day lot to an empty line: days earlier
    expect(finish(c, 'WI-7B').differenceHours!).toBeLessThan(-48);
    // the extra hour shortens the six-day lot
    expect(finish(c, 'WI-7A').differenceHours!).toBeLessThan(0);
    const rush = finish(c, 'WI-RUSH');
    expect(rush).toMatchObject({ added: true, changed: true, liveEnd: null, product: 'flu-ab' });
    expect(rush.scenarioEnd).not.toBeNull();
    expect(c.skipped).toEqual([]);
    expect(c.kpis.live.unplannedOperations).toBe(c.kpis.scenario.unplannedOperations);
  });

  it('refuses edits that do not fit the plant, naming the field', async () => {
    const s = await scenario('Bad edits');
    const bad = async (edit: unknown, path: string) => {
      const res = await inject('POST', `/api/scenarios/${s.id}/edits`, { version: 1, edits: [edit] });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    };
    await bad({ kind: 'machineDown', machine: 'zz-nope', from: localDate(1), to: localDate(2) }, 'body.edits.0.machine');
    await bad({ kind: 'machineDown', machine: 'line7', from: localDate(2), to: localDate(1) }, 'body.edits.0.to');
    await bad({ kind: 'quantity', lot: 'WI-6A', quantity: 0 }, 'body.edits.0.quantity');
    await bad({ kind: 'quantity', lot: 'ZZ-NONE', quantity: 10 }, 'body.edits.0.lot');
    await bad({ kind: 'rushOrder', lot: 'WI-R2', product: 'zz-none', quantity: 10 }, 'body.edits.0.product');
    await bad({ kind: 'rushOrder', lot: 'WI-6A', product: 'flu-ab', quantity: 10 }, 'body.edits.0.lot');
    await bad({ kind: 'move', lot: 'WI-6A', step: 0, machine: 'kit1', position: 0 }, 'body.edits.0.machine');
    await bad({ kind: 'addShift', date: localDate(1), from: '12:00', to: '14:00' }, 'body.edits.0.from');
    await bad({ kind: 'addShift', date: localDate(1), from: '25:00', to: '14:00' }, 'body.edits.0.from');
    expect((await inject('GET', `/api/scenarios/${s.id}`)).body).toMatchObject({ version: 1, edits: [] });
  });

  it('answers 409 to a stale version, removes an edit, discards, and then refuses changes', async () => {
    const s = await scenario('Versions', [{ kind: 'quantity', lot: 'WI-6A', quantity: 60_000 }]);
    const added = await inject('POST', `/api/scenarios/${s.id}/edits`, { version: 1, edits: [{ kind: 'quantity', lot: 'WI-7B', quantity: 60_000 }] });
    expect(added.status).toBe(200);
    expect(added.body.edits.map((e: { id: number }) => e.id)).toEqual([1, 2]);
    expect((await inject('POST', `/api/scenarios/${s.id}/edits`, { version: 1, edits: [{ kind: 'quantity', lot: 'WI-7B', quantity: 1 }] })).status).toBe(409);
    const renamed = await inject('PATCH', `/api/scenarios/${s.id}`, { version: 2, name: 'Versions, renamed', notes: 'what if' });
    expect(renamed.body).toMatchObject({ name: 'Versions, renamed', notes: 'what if', version: 3 });
    const removed = await inject('DELETE', `/api/scenarios/${s.id}/edits/1`, { version: 3 });
    expect(removed.body.edits.map((e: { id: number }) => e.id)).toEqual([2]);
    expect((await inject('DELETE', `/api/scenarios/${s.id}/edits/1`, { version: 4 })).status).toBe(404);
    expect((await inject('POST', `/api/scenarios/${s.id}/discard`, { version: 4 })).body.state).toBe('discarded');
    expect((await inject('POST', `/api/scenarios/${s.id}/edits`, { version: 5, edits: [{ kind: 'quantity', lot: 'WI-7B', quantity: 1 }] })).status).toBe(409);
    expect((await inject('POST', `/api/scenarios/${s.id}/publish`, { version: 5, reason: 'try' })).status).toBe(409);
    const list = await inject('GET', '/api/scenarios');
    expect(list.body.items.find((i: { id: number }) => i.id === s.id)).toMatchObject({ state: 'discarded', editCount: 1 });
  });

  it('publish: 409 naming the queues that changed since the copy, then forced it applies the edits with one audit entry', async () => {
    const s = await scenario('Publish me', [
      { kind: 'machineDown', machine: 'line7', from: localDate(1), to: localDate(2) },
      { kind: 'addShift', date: localDate(2), from: '05:00', to: '06:30' },
      { kind: 'quantity', lot: 'WI-6A', quantity: 70_000 },
      { kind: 'rushOrder', lot: 'WI-RUSHP', product: 'strep-a-plus', quantity: 5_000, due: null, machine: 'line9', position: 0 },
    ]);
    expect((await inject('POST', `/api/scenarios/${s.id}/publish`, { version: 1 })).status).toBe(400); // a reason is needed
    await create('WI-9A', 10_000);
    await load('WI-9A', 0, 'line10');
    const refused = await inject('POST', `/api/scenarios/${s.id}/publish`, { version: 1, reason: 'line 7 maintenance' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('plan_changed');
    expect(refused.body.error.message).toContain('Line 10');
    const seen = (await inject('GET', `/api/scenarios/${s.id}`)).body as ScenarioView;
    // line 10 took the new lot's first step; its second step waits in the parking lot
    expect(seen.liveChanges).toEqual({ changed: true, machines: [{ key: 'line10', name: 'Line 10' }, { key: '(parking lot)', name: 'Parking lot' }] });

    const expected = await comparison(s.id);
    const entries = await auditCount();
    const published = await inject('POST', `/api/scenarios/${s.id}/publish`, { version: 1, reason: 'line 7 maintenance', force: true });
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body.scenario).toMatchObject({ state: 'published', publishedBy: t.admin.username, version: 2 });
    expect(await auditCount()).toBe(entries + 1);
    const entry = await t.database.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ entity: 'scenario', entity_key: String(s.id), action: 'publish', reason: 'line 7 maintenance' });

    // the live plant now carries every edit, and plans what the scenario showed
    const downtime = await plantRepo.listMachineDowntime(t.database.db);
    expect(downtime).toEqual([expect.objectContaining({ machine: 'line7', start: DateTime.fromISO(localDate(1), { zone: ZONE }).toMillis(), end: DateTime.fromISO(localDate(2), { zone: ZONE }).toMillis() })]);
    const week = DateTime.fromISO(localDate(2), { zone: ZONE }).toFormat("kkkk-'W'WW");
    const weekday = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const)[DateTime.fromISO(localDate(2)).weekday - 1];
    expect((await calendarRepo.getWeek(t.database.db, week))!.days[weekday]).toContainEqual(['05:00', '06:30']);
    const wo6 = (await inject('GET', '/api/work-orders/WI-6A')).body;
    expect(wo6.quantity).toBe(70_000);
    const rush = (await inject('GET', '/api/work-orders/WI-RUSHP')).body;
    expect(rush.operations[0]).toMatchObject({ machine: 'line9', state: 'queued' });
    const wo7 = (await inject('GET', '/api/work-orders/WI-7A')).body;
    // what the comparison showed, but for the time between it and the publish (during a shift the plan starts now)
    const drift = Date.parse(wo7.operations[0].forecastEnd) - finish(expected, 'WI-7A').scenarioEnd!;
    expect(drift).toBeGreaterThanOrEqual(0);
    expect(drift).toBeLessThan(60_000);
    expect((await inject('POST', `/api/scenarios/${s.id}/publish`, { version: 2, reason: 'again' })).status).toBe(409);
  });

  it('lets a viewer read scenarios and their comparison but not change them', async () => {
    const s = await scenario('For viewers');
    const viewer = await t.as('viewer');
    expect((await viewer.inject({ method: 'GET', url: '/api/scenarios' })).statusCode).toBe(200);
    expect((await viewer.inject({ method: 'GET', url: `/api/scenarios/${s.id}/compare` })).statusCode).toBe(200);
    expect((await viewer.inject({ method: 'POST', url: '/api/scenarios', payload: { name: 'nope' } })).statusCode).toBe(403);
    expect((await viewer.inject({ method: 'POST', url: `/api/scenarios/${s.id}/discard`, payload: { version: 1 } })).statusCode).toBe(403);
    // a lead plans orders but does not own the calendar: an extra shift cannot be published by them
    const withShift = await scenario('Lead and shift', [{ kind: 'addShift', date: localDate(3), from: '23:00', to: '24:00' }]);
    const lead = await t.as('lead');
    const refused = await lead.inject({ method: 'POST', url: `/api/scenarios/${withShift.id}/publish`, payload: { version: 1, reason: 'try', force: true } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.permission).toBe('calendar:write');
    const planner = await t.as('planner');
    expect((await planner.inject({ method: 'PATCH', url: `/api/scenarios/${s.id}`, payload: { version: 1, notes: 'planner was here' } })).statusCode).toBe(200);
  });
});
