// GET /api/work-orders stays a JSON array of work orders with their operations, 500 by default,
// paged with the optional limit/offset; x-total-count says how many match (issue 10 item 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import * as repo from './repository.js';

const ORDERS = 520;

/**
 * A list without the estimates of unplanned steps: those start at "now" during working hours, so two
 * requests a few milliseconds apart differ there while the work orders are the same.
 */
const withoutEstimates = (orders: Record<string, unknown>[]) =>
  JSON.parse(JSON.stringify(orders, (key, value) => (key === 'estimatedStart' || key === 'estimatedEnd' ? undefined : value)));

describe.each(['sqlite', 'postgres'] as const)('work-order list paging on %s', (dialect) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(dialect, 'wo_paging');
    const now = Date.now();
    await t.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < ORDERS; i++) {
        await repo.insertWorkOrder(trx, { lot: String(300_000 + i), product_key: 'rsv', quantity: 1000 + i, due: null, priority: 0, notes: '', rate_mode: null }, 2, now);
      }
    });
  }, 120_000);
  afterAll(async () => t?.close());

  const list = async (query: string) => {
    const res = await t.app.inject(`/api/work-orders${query}`);
    return { status: res.statusCode, total: res.headers['x-total-count'], body: res.json() };
  };

  it('500 by default, the rest with offset; pages are disjoint and in order; the total in x-total-count', async () => {
    const first = await list('?sort=lot');
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(500);
    expect(first.total).toBe(String(ORDERS));
    expect(first.body[0]).toMatchObject({ lot: '300000', operations: [expect.objectContaining({ step: 0 }), expect.objectContaining({ step: 1 })] });
    const rest = await list('?sort=lot&offset=500');
    expect(rest.body.map((w: { lot: string }) => w.lot)).toEqual(Array.from({ length: 20 }, (_, i) => String(300_500 + i)));
    const small = await list('?sort=lot&limit=10&offset=515');
    expect(small.body.map((w: { lot: string }) => w.lot)).toEqual(['300515', '300516', '300517', '300518', '300519']);
    const all = await list('?sort=lot&limit=5000');
    expect(all.body).toHaveLength(ORDERS);
    expect(withoutEstimates([...first.body, ...rest.body])).toEqual(withoutEstimates(all.body));
    expect(withoutEstimates(all.body)[0]).toHaveProperty('operations');
    // the filters count too
    const filtered = await list('?search=30051&limit=3');
    expect(filtered.total).toBe('10');
    expect(filtered.body).toHaveLength(3);
  });

  it('out-of-range paging is a 400 with the field', async () => {
    for (const [query, path] of [['?limit=5001', 'query.limit'], ['?offset=-1', 'query.offset'], ['?limit=0', 'query.limit'], ['?offset=x', 'query.offset']]) {
      const res = await list(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.fields.map((f: { path: string }) => f.path), query).toEqual([path]);
    }
  });
});
