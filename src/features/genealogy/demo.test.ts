// The demo's genealogy as `npm start` seeds it: combo kit lot 158990 fed by pouch lots 158970 and
// 158971 (entered), and each pouch lot's rest in its own kitting (derived).
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
    expect(backward.links.map((l) => [l.consumedLot, l.quantity, l.derived])).toEqual([['158970', 12_000, false], ['158971', 12_000, false]]);
    expect(backward.nodes.find((n) => n.lot === '158970' && n.step === 0)).toMatchObject({ machineName: 'Line 11', productName: 'Flu A/B FIA', good: 48_000 });
    const forward = await traceForward(t.db, '158970');
    expect(forward.links.map((l) => [l.kitLot, l.quantity, l.derived])).toEqual([[DEMO_KIT_LOT, 12_000, false], ['158970', 36_000, true]]);
  });
});
