// Planned downtime of a machine through the API on every dialect: adding it re-plans the machine's
// queue around it and draws it on the board's lane, removing it gives the time back; both audited;
// bad instants are 400 with the field, unknown machines and ids 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit } from '../audit/repository.js';

const HOUR = 3_600_000;

describe.each(DIALECTS)('planned machine downtime on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'downtime');
  });
  afterAll(async () => t?.close());

  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
  const endOf = async (lot: string) => Date.parse((await inject('GET', `/api/work-orders/${lot}`)).json().operations[0].forecastEnd);

  it('re-plans around it, shows it on the lane, and gives the time back when removed', async () => {
    expect((await inject('POST', '/api/work-orders', { lot: 'DT1', product: 'flu-ab', quantity: 200_000 })).statusCode).toBe(201);
    expect((await inject('POST', '/api/work-orders/DT1/operations/0/load', { machine: 'line11', mode: 'append' })).statusCode).toBe(200);
    const before = await endOf('DT1');
    const measuredAt = Date.now();

    // down from now for three days: the lot cannot use that time
    const from = new Date(Date.now() - HOUR).toISOString();
    const to = new Date(Date.now() + 72 * HOUR).toISOString();
    const added = await inject('POST', '/api/machines/line11/downtime', { from, to, reason: 'seal bar rebuild' });
    expect(added.statusCode).toBe(201);
    const down = added.json();
    expect(down).toMatchObject({ machine: 'line11', start: Date.parse(from), end: Date.parse(to), reason: 'seal bar rebuild' });
    expect(await endOf('DT1')).toBeGreaterThan(before + 24 * HOUR);

    const listed = await inject('GET', '/api/machines/line11/downtime');
    expect(listed.json().map((d: { id: number }) => d.id)).toEqual([down.id]);
    const board = (await inject('GET', `/api/schedule/board?group=pouching-itrak&from=${Date.now() - HOUR}&to=${Date.now() + 7 * 24 * HOUR}`)).json();
    const lane = board.lanes.find((l: { machine: string }) => l.machine === 'line11');
    expect(lane.downtime).toEqual([{ id: down.id, start: down.start, end: down.end, reason: 'seal bar rebuild' }]);
    expect(board.lanes.find((l: { machine: string }) => l.machine === 'line10').downtime).toEqual([]);

    const removed = await inject('DELETE', `/api/machines/line11/downtime/${down.id}`, { reason: 'rebuild postponed' });
    expect(removed.statusCode).toBe(204);
    // back to the first plan, give or take the time that passed (during a shift the lot runs from now)
    const back = await endOf('DT1');
    expect(back).toBeGreaterThanOrEqual(before - 1000);
    expect(back).toBeLessThanOrEqual(before + (Date.now() - measuredAt) + 1000);
    expect((await inject('GET', '/api/machines/line11/downtime')).json()).toEqual([]);

    const history = await listAudit(t.database.db, { entity: 'machine', entityKey: 'line11' });
    expect(history.map((h) => [h.action, h.reason])).toEqual([['downtime-remove', 'rebuild postponed'], ['downtime-add', 'seal bar rebuild']]);
    expect(history[1].after).toMatchObject({ downtime: down.id, from: new Date(down.start).toISOString(), reason: 'seal bar rebuild' });
  });

  it('answers bad instants with 400 naming the field, unknown machines and ids with 404', async () => {
    const soon = new Date(Date.now() + HOUR).toISOString();
    const later = new Date(Date.now() + 5 * HOUR).toISOString();
    const noOffset = await inject('POST', '/api/machines/line10/downtime', { from: '2030-01-01T06:00', to: later, reason: 'x' });
    expect(noOffset.statusCode).toBe(400);
    expect(noOffset.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.from']);
    const backwards = await inject('POST', '/api/machines/line10/downtime', { from: later, to: soon, reason: 'x' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.fields).toEqual([expect.objectContaining({ path: 'body.to', message: 'must be after from' })]);
    const past = await inject('POST', '/api/machines/line10/downtime', { from: '2020-01-01T06:00:00Z', to: '2020-01-02T06:00:00Z', reason: 'x' });
    expect(past.statusCode).toBe(400);
    const noReason = await inject('POST', '/api/machines/line10/downtime', { from: soon, to: later, reason: ' ' });
    expect(noReason.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.reason']);
    expect((await inject('POST', '/api/machines/nope/downtime', { from: soon, to: later, reason: 'x' })).statusCode).toBe(404);
    expect((await inject('GET', '/api/machines/nope/downtime')).statusCode).toBe(404);
    expect((await inject('DELETE', '/api/machines/line10/downtime/999999', { reason: 'x' })).statusCode).toBe(404);
    expect((await inject('GET', '/api/machines/line10/downtime')).json()).toEqual([]);
  });
});
