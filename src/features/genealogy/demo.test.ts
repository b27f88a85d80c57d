// The demo's genealogy as `npm start` seeds it: combo kit lot 159080 fed by pouch lots 159070 and
// 159071 (entered), and each pouch lot's rest in its own kitting (derived).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { seedDatabase } from '../demo/seed.js';
import { DEMO_KIT_LOT } from '../demo/genealogy.js';
import { traceBackward, traceForward } from './trace.js';

describe('demo genealogy', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite', 'genealogy-demo');
    await seedDatabase(t.db, t.config, true, { orders: true });
  });
  afterAll(async () => t?.destroy());

  it('seeds a kit lot fed by two pouch lots with recorded consumption', async () => {
    const backward = await traceBackward(t.db, DEMO_KIT_LOT);
    expect(backward.links.map((l) => [l.consumedLot, l.quantity, l.derived])).toEqual([['159070', 12_000, false], ['159071', 12_000, false]]);
    expect(backward.nodes.find((n) => n.lot === '159070' && n.step === 0)).toMatchObject({ machineName: 'Line 11', productName: 'Flu A/B FIA', good: 48_000 });
    const forward = await traceForward(t.db, '159070');
    expect(forward.links.map((l) => [l.kitLot, l.quantity, l.derived])).toEqual([[DEMO_KIT_LOT, 12_000, false], ['159070', 36_000, true]]);
  });
});
