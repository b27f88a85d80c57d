import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';

describe.each(DIALECTS)('capable-to-promise API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'promise');
  });
  afterAll(async () => t?.close());

  const post = async (url: string, payload: unknown) => {
    const res = await t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown> });
    return { status: res.statusCode, body: res.json() };
  };

  it('answers both ways, later when the machines are busy, and changes nothing', async () => {
    const empty = await post('/api/schedule/promise', { product: 'strep-a-plus', quantity: 50_000 });
    expect(empty.status).toBe(200);
    expect(empty.body.steps).toBeUndefined();
    expect(empty.body.untouched.steps.map((s: { step: number }) => s.step)).toEqual([0, 1]);
    const [pouching, kitting] = empty.body.untouched.steps;
    expect(Date.parse(kitting.start)).toBeGreaterThanOrEqual(Date.parse(pouching.end));
    expect(empty.body.untouched.end).toBe(kitting.end);
    expect(empty.body.resequenced.end).toBe(empty.body.untouched.end); // nothing to jump

    // fill every iTrak line with a long job due far away: the plan untouched finishes later, re-sequenced does not
    const board = await t.app.inject({ method: 'GET', url: `/api/schedule/board?group=pouching-itrak&from=${Date.now()}&to=${Date.now() + 86_400_000}` });
    const lines: string[] = board.json().lanes.map((lane: { machine: string }) => lane.machine);
    expect(lines.length).toBeGreaterThan(0);
    for (const [index, machine] of lines.entries()) {
      const lot = `BUSY${index}`;
      expect((await post('/api/work-orders', { lot, product: 'strep-a-plus', quantity: 2_000_000, due: '2035-01-01' })).status).toBe(201);
      expect((await post(`/api/work-orders/${lot}/operations/0/load`, { machine, mode: 'append' })).status).toBe(200);
    }
    const before = (await t.app.inject({ method: 'GET', url: '/api/work-orders/BUSY0' })).json();
    const busy = await post('/api/schedule/promise', { product: 'strep-a-plus', quantity: 50_000 });
    expect(busy.status).toBe(200);
    expect(Date.parse(busy.body.untouched.end)).toBeGreaterThan(Date.parse(empty.body.untouched.end));
    // as early as on the empty plant: the same end, but for the time that passed between the two questions
    // (during a shift the first step starts "now")
    const elapsed = Date.parse(busy.body.askedAt) - Date.parse(empty.body.askedAt);
    const later = Date.parse(busy.body.resequenced.end) - Date.parse(empty.body.untouched.end);
    expect(later).toBeGreaterThanOrEqual(0);
    expect(later).toBeLessThanOrEqual(elapsed + 1);
    expect(busy.body.resequenced.steps[0].position).toBe(0);
    expect(busy.body.resequenced.delayedWorkOrders).toBe(1);
    const after = (await t.app.inject({ method: 'GET', url: '/api/work-orders/BUSY0' })).json();
    expect(after).toEqual(before);
  });

  it('refuses an unknown product and a bad quantity with the field named', async () => {
    const unknown = await post('/api/schedule/promise', { product: 'nope', quantity: 10 });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain("unknown product 'nope'");
    const bad = await post('/api/schedule/promise', { product: 'strep-a-plus', quantity: -3 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('quantity');
  });
});
