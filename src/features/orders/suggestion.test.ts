// "Suggest a plan" over the API on every database: a suggestion for a badly planned group, accepting
// it per machine and whole, a stale basis, bad requests, the audit entry and who may do it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import * as repo from './repository.js';
import type { AcceptResult, Suggestion } from './suggestion-schemas.js';

const GROUP = 'sug-pouch';
const MACHINES = ['sug1', 'sug2'];
const DAY = 86_400_000;

describe.each(DIALECTS)('plan suggestions on %s', (dialect) => {
  let t: TestApp;
  const lots: string[] = [];
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect, 'suggest');
    const ok = async (url: string, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url, payload });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    };
    await ok('/api/process-groups', { key: GROUP, name: 'Suggestion pouchers' });
    for (const [index, key] of MACHINES.entries()) await ok('/api/machines', { key, name: `Poucher ${index + 1}`, group: GROUP, sortOrder: index });
    // one step, 1000/h, no setup, no gate: 8000 units are 8 working hours
    await ok('/api/products', { key: 'sug-prod', name: 'Suggestion product', shortName: 'Sug', itemNumber: '9300001', color: '#2266aa', routing: [{ group: GROUP, ratePerHour: 1000 }] });
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const post = async (url: string, payload: unknown = {}) => {
    const res = await inject('POST', url, payload);
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** a lot of 8 working hours, due in `dueInDays` calendar days */
  const lot = async (dueInDays: number) => {
    const name = `S${dialect.slice(0, 2).toUpperCase()}${++serial}`;
    await post('/api/work-orders', { lot: name, product: 'sug-prod', quantity: 8000, due: new Date(Date.now() + dueInDays * DAY).toISOString() });
    lots.push(name);
    return name;
  };
  const append = (name: string, machine: string) => post(`/api/work-orders/${name}/operations/0/load`, { machine, mode: 'append' });
  /** per machine of the group its queue (lot ids in position order), and the parked lots */
  const plant = async () => {
    const ops = (await repo.listOperations(t.database.db)).filter((op) => lots.includes(op.lot));
    const queues: Record<string, string[]> = Object.fromEntries(MACHINES.map((m) => [m, [] as string[]]));
    for (const op of [...ops].sort((a, b) => (a.position ?? 0) - (b.position ?? 0))) if (op.machine_key && op.state !== 'parked') queues[op.machine_key].push(op.lot);
    const parked = ops.filter((op) => op.state === 'parked').map((op) => op.lot).sort();
    return { queues, parked, ops };
  };
  const suggest = (options: object = {}): Promise<Suggestion> => post('/api/schedule/suggestions', { timeLimitSeconds: 5, iterations: 3000, seed: 7, ...options });
  const accept = (suggestion: Suggestion, extra: object = {}) =>
    inject('POST', '/api/schedule/suggestions/accept', {
      basis: suggestion.basis, queues: suggestion.queues, computedAt: suggestion.computedAt, frozenHours: suggestion.frozenHours, suggestion: suggestion.id, ...extra,
    });
  const lotsOf = (suggestion: Suggestion, machine: string) => (suggestion.queues[machine] ?? []).map((e) => e.lot);

  /**
   * The bad plant: four lots queued on the first poucher in the reverse of their due order (the last
   * one due tomorrow, behind 24 working hours), the second poucher idle, two lots parked.
   */
  const badPlant = async () => {
    const queued = [await lot(20), await lot(12), await lot(6), await lot(1)];
    for (const name of queued) await append(name, 'sug1');
    const parked = [await lot(3), await lot(30)];
    return { queued, parked };
  };

  beforeEach(async () => {
    // each case starts from an empty group: the previous case's lots are deleted
    for (const name of lots.splice(0)) {
      const wo = (await inject('GET', `/api/work-orders/${name}`)).body;
      await inject('DELETE', `/api/work-orders/${name}?version=${wo.version}`, { reason: 'test case over' });
    }
  });

  it('suggests a plan with less lateness for a badly planned group, and changes nothing', async () => {
    const { queued, parked } = await badPlant();
    const before = await plant();
    const auditBefore = (await listAudit(t.database.db, { limit: 10_000 })).length;
    const suggestion = await suggest();
    expect(suggestion.basis).toMatch(/^[0-9a-f]{32}$/);
    expect(suggestion.iterations).toBeLessThanOrEqual(3000);
    // the last queued lot is late behind three others; the parked ones are not planned at all
    expect(suggestion.kpis.before.lateWorkOrders).toBeGreaterThanOrEqual(1);
    expect(suggestion.kpis.before.totalTardinessHours).toBeGreaterThan(0);
    expect(suggestion.kpis.before.unplannedOperations).toBeGreaterThanOrEqual(2);
    expect(suggestion.kpis.after.totalTardinessHours).toBeLessThan(suggestion.kpis.before.totalTardinessHours);
    expect(suggestion.kpis.after.unplannedOperations).toBe(suggestion.kpis.before.unplannedOperations - 2);
    // every lot of the group is in exactly one suggested queue, and both pouchers are used
    const suggested = MACHINES.flatMap((m) => lotsOf(suggestion, m)).sort();
    expect(suggested).toEqual([...queued, ...parked].sort());
    expect(lotsOf(suggestion, 'sug2').length).toBeGreaterThan(0);
    // the diff: sug1 with its current queue in order and the suggested one with times
    const sug1 = suggestion.machines.find((m) => m.machine === 'sug1')!;
    expect(sug1.current.map((o) => o.lot)).toEqual(queued);
    expect(sug1.suggested.map((o) => o.lot)).toEqual(lotsOf(suggestion, 'sug1'));
    for (const op of sug1.suggested) expect(op.start).not.toBeNull();
    const sug2 = suggestion.machines.find((m) => m.machine === 'sug2')!;
    expect(sug2.current).toEqual([]);
    expect(sug2.moves.every((m) => m.kind === 'arrives' && m.toMachine === 'sug2')).toBe(true);
    for (const move of sug2.moves) expect(move.fromMachine === null ? parked : queued).toContain(move.lot);
    // machines with nothing to change are not in the diff
    expect(suggestion.machines.map((m) => m.machine).sort()).toEqual(MACHINES);
    // a suggestion is only a suggestion
    expect(await plant()).toEqual(before);
    expect((await listAudit(t.database.db, { limit: 10_000 })).length).toBe(auditBefore);
  });

  it('keeps answering while it searches: a health check during a 2 s search is not held up', async () => {
    await badPlant();
    // a time limit and no iteration budget: the search runs the whole 2 s
    let searchDoneAt = 0;
    const searching = inject('POST', '/api/schedule/suggestions', { timeLimitSeconds: 2, seed: 7 }).then((res) => {
      searchDoneAt = Date.now();
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    const healthDoneAt = Date.now();
    expect(health.statusCode).toBe(200);
    expect((await searching).status).toBe(200);
    // the health check was answered while the search still had well over a second to go
    // (a search that held the event loop would answer both at the same moment)
    expect(searchDoneAt - healthDoneAt).toBeGreaterThan(1000);
  });

  it('accepting one machine sets only its queue; what it moves to a machine not accepted is parked', async () => {
    const { queued } = await badPlant();
    const suggestion = await suggest();
    const toSug1 = lotsOf(suggestion, 'sug1');
    const movedOff = queued.filter((name) => !toSug1.includes(name));
    expect(movedOff.length).toBeGreaterThan(0);
    const res = await accept(suggestion, { machines: ['sug1'], reason: 'take the suggestion for poucher 1' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const result = res.body as AcceptResult;
    const after = await plant();
    expect(after.queues.sug1).toEqual(toSug1);
    // sug2 was not accepted: it stays empty, and what the suggestion sent there from sug1 waits in the parking lot
    expect(after.queues.sug2).toEqual([]);
    const parkedNow = after.parked;
    expect(parkedNow).toEqual(expect.arrayContaining(movedOff));
    expect(result.parked.map((p) => p.lot).sort()).toEqual(movedOff.sort());
    // positions 0..n-1, states as the load service leaves them
    const sug1Ops = after.ops.filter((op) => op.machine_key === 'sug1').sort((a, b) => a.position! - b.position!);
    expect(sug1Ops.map((op) => op.position)).toEqual(sug1Ops.map((_, i) => i));
    expect(sug1Ops.every((op) => op.state === 'queued')).toBe(true);
    for (const op of after.ops.filter((o) => o.state === 'parked')) expect([op.machine_key, op.position]).toEqual([null, null]);
    // the work orders moved got a new version; the forecasts follow the new order
    for (const name of movedOff) expect((await inject('GET', `/api/work-orders/${name}`)).body.version).toBe(3);
    const starts = sug1Ops.map((op) => op.forecast_start!);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(result.machines).toEqual(['sug1']);
  });

  it('accepting all gives exactly the suggested queues, in one audit entry, and tells the boards', async () => {
    await badPlant();
    const suggestion = await suggest();
    const published: { topic: string; data?: unknown }[] = [];
    const unsubscribe = t.events.subscribe((event) => published.push(event));
    const auditBefore = (await listAudit(t.database.db, { limit: 10_000 })).length;
    const res = await accept(suggestion, { reason: 'plan of the week' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await plant();
    for (const machine of MACHINES) expect(after.queues[machine]).toEqual(lotsOf(suggestion, machine));
    expect(after.parked).toEqual([]);
    // the plan as accepted is the one the suggestion promised
    expect(res.body.kpis.after.totalTardinessHours).toBeCloseTo(suggestion.kpis.after.totalTardinessHours, 1);
    expect(res.body.kpis.after.lateWorkOrders).toBe(suggestion.kpis.after.lateWorkOrders);
    const entries = await listAudit(t.database.db, { limit: 10_000 });
    expect(entries.length).toBe(auditBefore + 1);
    const entry = entries[0];
    expect(entry).toMatchObject({ entity: 'schedule', entityKey: 'plant', action: 'accept-suggestion', reason: 'plan of the week' });
    const before = entry.before as { basis: string; queues: Record<string, string[]>; kpis: { totalTardinessHours: number } };
    const afterEntry = entry.after as { suggestion: string; queues: Record<string, string[]>; kpis: { totalTardinessHours: number } };
    expect(before.basis).toBe(suggestion.basis);
    expect(Object.keys(afterEntry.queues).sort()).toEqual(MACHINES);
    expect(afterEntry.queues.sug2).toEqual(lotsOf(suggestion, 'sug2').map((l) => `${l}/0`));
    expect(before.kpis.totalTardinessHours).toBeGreaterThan(afterEntry.kpis.totalTardinessHours);
    expect(afterEntry.suggestion).toBe(suggestion.id);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
    await t.events.idle();
    unsubscribe();
    expect(published).toContainEqual(expect.objectContaining({ topic: 'schedule', data: expect.objectContaining({ reason: 'suggestion', machines: MACHINES }) }));
  });

  it('keeps a held operation in its place when its machine is accepted', async () => {
    const { queued } = await badPlant();
    await post(`/api/work-orders/${queued[1]}/operations/0/hold`, { reason: 'material on hold' });
    const suggestion = await suggest();
    expect(MACHINES.flatMap((m) => lotsOf(suggestion, m))).not.toContain(queued[1]);
    const res = await accept(suggestion, { machines: ['sug1'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const after = await plant();
    expect(after.queues.sug1[1]).toBe(queued[1]);
    expect(after.ops.find((op) => op.lot === queued[1])!.state).toBe('held');
    expect(after.queues.sug1.filter((l) => l !== queued[1])).toEqual(lotsOf(suggestion, 'sug1'));
  });

  it('keeps a pinned operation on its machine, and refuses an accept that moves it', async () => {
    const { queued } = await badPlant();
    // unpinned, the second lot (due in 12 days) goes to the idle poucher
    const free = await suggest();
    expect(lotsOf(free, 'sug2')).toContain(queued[1]);
    const pinned = await post(`/api/work-orders/${queued[1]}/operations/0/pin`, {});
    expect(pinned.operations[0].pinned).toBe(true);
    const suggestion = await suggest();
    expect(lotsOf(suggestion, 'sug1')).toContain(queued[1]);
    // moving it by hand is refused with its path
    const moved = { sug1: lotsOf(suggestion, 'sug1').filter((l) => l !== queued[1]).map((lot) => ({ lot, step: 0 })), sug2: [...suggestion.queues.sug2, { lot: queued[1], step: 0 }] };
    const res = await accept(suggestion, { queues: moved });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(JSON.stringify(res.body.error.fields)).toContain(queued[1]);
    // unpinned again, and parking clears a pin
    expect((await post(`/api/work-orders/${queued[1]}/operations/0/unpin`, {})).operations[0].pinned).toBe(false);
    await post(`/api/work-orders/${queued[2]}/operations/0/pin`, {});
    const parked = await post(`/api/work-orders/${queued[2]}/operations/0/park`, {});
    expect(parked.operations[0].pinned).toBe(false);
    // a parked operation cannot be pinned
    expect((await inject('POST', `/api/work-orders/${queued[2]}/operations/0/pin`, {})).status).toBe(409);
  });

  it('refuses a suggestion whose basis is stale with 409 and changes nothing', async () => {
    const { parked } = await badPlant();
    const suggestion = await suggest();
    await append(parked[1], 'sug2');
    const before = await plant();
    const res = await accept(suggestion);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/ask for a new suggestion/);
    expect(await plant()).toEqual(before);
    // a new suggestion of the changed plan is accepted
    const fresh = await suggest();
    expect(fresh.basis).not.toBe(suggestion.basis);
    expect((await accept(fresh)).status).toBe(200);
  });

  it('refuses unknown machines and operations, the wrong group and moved frozen operations with 400 and the path', async () => {
    const { queued } = await badPlant();
    // the head of sug1 starts: it is running and frozen there
    await post(`/api/work-orders/${queued[0]}/operations/0/counts`, { produced: 100 });
    // a lot of a product made on the iTrak lines (it cannot go on a poucher of this group)
    await post('/api/work-orders', { lot: `X${dialect}`, product: 'strep-a-plus', quantity: 1000, due: null });
    lots.push(`X${dialect}`);
    const suggestion = await suggest();
    expect(lotsOf(suggestion, 'sug1')[0]).toBe(queued[0]);
    const before = await plant();
    const fields = async (queues: unknown, extra: object = {}) => {
      const res = await accept(suggestion, { queues, ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return (res.body.error.fields as { path: string; message: string }[]).map((f) => f.path);
    };
    expect(await fields({ ...suggestion.queues, nowhere: [] })).toEqual(['body.queues.nowhere']);
    expect(await fields({ ...suggestion.queues, sug2: [{ lot: 'ZZ-NONE', step: 0 }, ...suggestion.queues.sug2] })).toEqual(['body.queues.sug2[0]']);
    expect(await fields({ ...suggestion.queues, sug2: [...suggestion.queues.sug2, { lot: queued[1], step: 3 }] })).toEqual([`body.queues.sug2[${suggestion.queues.sug2.length}]`]);
    expect(await fields({ ...suggestion.queues, sug2: [{ lot: `X${dialect}`, step: 0 }] })).toEqual(['body.queues.sug2[0]']);
    expect(await fields(suggestion.queues, { machines: ['nowhere'] })).toEqual(['body.machines[0]']);
    // the running job moved to the other poucher
    const sug1 = suggestion.queues.sug1;
    const moved = { ...suggestion.queues, sug1: sug1.slice(1), sug2: [sug1[0], ...suggestion.queues.sug2] };
    const paths = await fields(moved);
    expect(paths).toContain('body.queues.sug1[0]');
    expect(paths).toContain('body.queues.sug2[0]');
    // a frozen horizon: what starts within it keeps its place
    const frozen = await suggest({ frozenHours: 1000 });
    expect(lotsOf(frozen, 'sug1').slice(0, queued.length)).toEqual(queued);
    const swapped = [frozen.queues.sug1[1], frozen.queues.sug1[0], ...frozen.queues.sug1.slice(2)];
    const res = await accept(frozen, { queues: { ...frozen.queues, sug1: swapped } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.queues.sug1[0]', 'body.queues.sug1[1]']);
    expect(await plant()).toEqual(before);
  });

  it('refuses a time limit out of bounds with 400 naming the field', async () => {
    for (const timeLimitSeconds of [0, -1, 31]) {
      const res = await inject('POST', '/api/schedule/suggestions', { timeLimitSeconds });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.timeLimitSeconds']);
    }
    const res = await inject('POST', '/api/schedule/suggestions/accept', { queues: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain('body.basis');
  });

  it('lets planners suggest and accept, and refuses viewers and operators with 403', async () => {
    await badPlant();
    const planner = await t.as('planner');
    const asked = await planner.inject({ method: 'POST', url: '/api/schedule/suggestions', payload: { timeLimitSeconds: 1, iterations: 200 } });
    expect(asked.statusCode).toBe(200);
    const suggestion = asked.json() as Suggestion;
    for (const role of ['viewer', 'operator'] as const) {
      const other = await t.as(role);
      const ask = await other.inject({ method: 'POST', url: '/api/schedule/suggestions', payload: { timeLimitSeconds: 1 } });
      expect(ask.statusCode).toBe(403);
      const take = await other.inject({ method: 'POST', url: '/api/schedule/suggestions/accept', payload: { basis: suggestion.basis, queues: suggestion.queues } });
      expect(take.statusCode).toBe(403);
    }
    const taken = await planner.inject({ method: 'POST', url: '/api/schedule/suggestions/accept', payload: { basis: suggestion.basis, queues: suggestion.queues, machines: ['sug2'], computedAt: suggestion.computedAt } });
    expect(taken.statusCode, taken.body).toBe(200);
    expect((await listAudit(t.database.db, { limit: 1 }))[0]).toMatchObject({ action: 'accept-suggestion', actor: planner.user.username });
  });
});
