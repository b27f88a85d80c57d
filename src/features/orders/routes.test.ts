import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { verifyAuditChain } from '../audit/repository.js';

describe.each(DIALECTS)('work orders and scheduling API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'orders');
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const create = (lot: string, quantity = 50_000, product = 'strep-a-plus', due: string | null = null) =>
    inject('POST', '/api/work-orders', { lot, product, quantity, due });
  const load = (lot: string, step: number, machine: string, mode: string, position?: number) =>
    inject('POST', `/api/work-orders/${lot}/operations/${step}/load`, { machine, mode, position });
  const queueOf = async (machine: string) => {
    const board = (await inject('GET', `/api/schedule/board?group=pouching-itrak&from=${Date.now() - 86_400_000}&to=${Date.now() + 400 * 86_400_000}`)).body;
    return board.lanes.find((l: { machine: string }) => l.machine === machine).bars.map((b: { lot: string }) => b.lot);
  };

  it('creates a work order with one parked operation per routing step, keeping leading zeros', async () => {
    const res = await create('0159070', 200_000, 'strep-a-plus', '2030-01-15');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ lot: '0159070', quantity: 200_000, status: 'parked', version: 1, itemNumber: '1330700' });
    expect(res.body.operations.map((o: { state: string; group: string }) => [o.state, o.group])).toEqual([
      ['parked', 'pouching-itrak'],
      ['parked', 'kitting'],
    ]);
    expect((await inject('GET', '/api/work-orders/0159070')).body.lot).toBe('0159070');
    expect((await inject('GET', '/api/work-orders/159070')).status).toBe(404);
  });

  it('loads with append / insert / position / replace and forecasts in queue order', async () => {
    for (const lot of ['A1', 'A2', 'A3', 'A4', 'A5']) expect((await create(lot, 10_000)).status).toBe(201);
    await load('A1', 0, 'line7', 'append');
    await load('A2', 0, 'line7', 'append');
    expect(await queueOf('line7')).toEqual(['A1', 'A2']);
    await load('A3', 0, 'line7', 'insert');
    expect(await queueOf('line7')).toEqual(['A1', 'A3', 'A2']);
    const dropped = await load('A4', 0, 'line7', 'position', 2);
    expect(dropped.status).toBe(200);
    expect(await queueOf('line7')).toEqual(['A1', 'A3', 'A4', 'A2']);
    // forecasts follow the queue: each job starts when the one before it ends
    const views = await Promise.all(['A1', 'A3', 'A4', 'A2'].map(async (lot) => (await inject('GET', `/api/work-orders/${lot}`)).body.operations[0]));
    for (let i = 1; i < views.length; i++) expect(Date.parse(views[i].forecastStart)).toBeGreaterThanOrEqual(Date.parse(views[i - 1].forecastEnd));
    // the head of the queue only counts as running once production has started on it
    expect(views[0].state).toBe('queued');
    await inject('POST', '/api/work-orders/A1/operations/0/counts', { produced: 100 });
    expect((await inject('GET', '/api/work-orders/A1')).body.operations[0].state).toBe('running');
    expect(views[1].state).toBe('queued');
    const replaced = await load('A5', 0, 'line7', 'replace');
    expect(replaced.body.operations[0]).toMatchObject({ state: 'queued', position: 0 });
    expect(await queueOf('line7')).toEqual(['A5', 'A3', 'A4', 'A2']);
    expect((await inject('GET', '/api/work-orders/A1')).body.operations[0]).toMatchObject({ state: 'parked', produced: 100 });
    // move within the lane, then to another machine of the group, then back to the parking lot
    await load('A2', 0, 'line7', 'position', 1);
    expect(await queueOf('line7')).toEqual(['A5', 'A2', 'A3', 'A4']);
    await load('A3', 0, 'line8', 'append');
    expect(await queueOf('line7')).toEqual(['A5', 'A2', 'A4']);
    expect(await queueOf('line8')).toEqual(['A3']);
    await inject('POST', '/api/work-orders/A4/operations/0/park', {});
    expect(await queueOf('line7')).toEqual(['A5', 'A2']);
  });

  it('plans the next process after the gate of the previous one', async () => {
    await create('G1', 5000);
    await load('G1', 0, 'line9', 'append');
    const wo = (await load('G1', 1, 'kit1', 'append')).body;
    const [pouch, kit] = wo.operations;
    // 5000 at 5000/h + 30 min setup = 1.5 working hours; kitting waits for the 24 h QC release
    expect(Date.parse(kit.forecastStart) - Date.parse(pouch.forecastEnd)).toBeGreaterThanOrEqual(24 * 3_600_000);
  });

  it('closes, holds and releases operations', async () => {
    await create('C1', 1000);
    await load('C1', 0, 'line10', 'append');
    const held = await inject('POST', '/api/work-orders/C1/operations/0/hold', { reason: 'label check' });
    expect(held.body).toMatchObject({ status: 'held' });
    expect(held.body.operations[0].forecastStart).toBeNull();
    const released = await inject('POST', '/api/work-orders/C1/operations/0/release', {});
    expect(released.body.operations[0].state).toBe('queued');
    expect((await inject('POST', '/api/work-orders/C1/operations/0/counts', { produced: 400, scrap: 10 })).body.operations[0]).toMatchObject({ produced: 400, good: 390, scrap: 10, state: 'running' });
    const closed = await inject('POST', '/api/work-orders/C1/operations/0/close', { reason: 'rest of the foil failed inspection' });
    expect(closed.body.operations[0]).toMatchObject({ state: 'done', position: null });
    expect((await inject('POST', '/api/work-orders/C1/operations/0/close', {})).status).toBe(409);
    expect((await inject('DELETE', '/api/work-orders/C1')).status).toBe(409);
  });

  it('two concurrent edits of one work order: one wins, one gets 409', async () => {
    const wo = (await create('K1', 1000)).body;
    const [a, b] = await Promise.all([
      inject('PATCH', '/api/work-orders/K1', { quantity: 2000, version: wo.version }),
      inject('PATCH', '/api/work-orders/K1', { quantity: 3000, version: wo.version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner = a.status === 200 ? 2000 : 3000;
    expect((await inject('GET', '/api/work-orders/K1')).body).toMatchObject({ quantity: winner, version: wo.version + 1 });
    // a partial edit keeps the fields it does not mention
    await inject('PATCH', '/api/work-orders/K1', { notes: 'rush', due: '2031-03-01', priority: 5, version: wo.version + 1 });
    const edited = await inject('PATCH', '/api/work-orders/K1', { quantity: 4000, version: wo.version + 2 });
    expect(edited.body).toMatchObject({ quantity: 4000, notes: 'rush', priority: 5 });
    expect(edited.body.due).not.toBeNull();
  });

  it('flags a forecast later than the due date', async () => {
    await create('L1', 500_000, 'flu-ab', new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
    const wo = (await load('L1', 0, 'line11', 'append')).body;
    expect(wo.late).toBe(true);
    expect(wo.operations[0].late).toBe(true);
    const list = (await inject('GET', '/api/work-orders?late=true')).body.map((w: { lot: string }) => w.lot);
    expect(list).toContain('L1');
  });

  it('answers bad input with 400/404 and field paths', async () => {
    const bad = await inject('POST', '/api/work-orders', { lot: 'X1', product: 'strep-a-plus', quantity: 0, due: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['body.due', 'body.quantity']);
    const unknownProduct = await inject('POST', '/api/work-orders', { lot: 'X1', product: 'nope', quantity: 10 });
    expect(unknownProduct.status).toBe(400);
    expect(unknownProduct.body.error.fields).toEqual([{ path: 'body.product', message: "unknown product 'nope'" }]);
    const badDate = await inject('POST', '/api/work-orders', { lot: 'X1', product: 'rsv', quantity: 10, due: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.fields[0].path).toBe('body.due');
    expect((await inject('GET', '/api/work-orders/NOPE')).status).toBe(404);
    expect((await load('NOPE', 0, 'line7', 'append')).status).toBe(404);
    await create('X2', 10);
    expect((await load('X2', 0, 'line99', 'append')).status).toBe(404);
    const wrongGroup = await load('X2', 0, 'kit1', 'append');
    expect(wrongGroup.status).toBe(400);
    expect(wrongGroup.body.error.message).toMatch(/Kitting 1 belongs to process group 'kitting', but step 1 of lot X2 runs on 'pouching-itrak'/);
    expect((await inject('POST', '/api/work-orders', { lot: 'X2', product: 'rsv', quantity: 10 })).status).toBe(409);
    expect((await inject('DELETE', '/api/machines/line7')).status).toBe(409);
    // a machine with jobs in its queue cannot be disabled (they would have nowhere to run)
    const machine = (await inject('GET', '/api/machines/line7')).body;
    const disable = await inject('PATCH', '/api/machines/line7', { enabled: false, version: machine.version });
    expect(disable.status).toBe(409);
    expect(disable.body.error.message).toMatch(/Line 7 still has \d+ jobs? in its queue/);
  });

  it('keeps the audit chain intact and lists the history of a lot', async () => {
    const history = (await inject('GET', '/api/work-orders/A3/history')).body.map((h: { action: string }) => h.action);
    expect(history).toEqual(['load-append', 'load-insert', 'create']);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });
});
