// Board data of one process group for a 4-week window: a group of 50 machines holding 1 000 work
// orders × 5 steps (every step of the routing runs in this group, ~100 operations per machine),
// planned once; then getBoard() as the board screen calls it. SQLite, demo calendar.
import { DateTime } from 'luxon';
import { getBoard } from '../src/features/orders/board.js';
import { replan } from '../src/features/orders/planner.js';
import * as repo from '../src/features/orders/repository.js';
import * as plantRepo from '../src/features/plant/repository.js';
import { seedDatabase } from '../src/features/demo/seed.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { sample, type Figure } from './lib.js';

const GROUP = 'bench-cell';
const MACHINES = 50;
const WORK_ORDERS = 1000;
const STEPS = 5;
const PRODUCTS = 10;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

export default async function boardBench(): Promise<Figure[]> {
  const database = await createTestDatabase('sqlite', 'bench-board');
  try {
    const { db, config } = database;
    const zone = config.QMFG_TZ;
    await seedDatabase(db, config, true);
    const now = Date.now();
    const random = seeded(2026_11_25);
    const machines = Array.from({ length: MACHINES }, (_, i) => `cell${String(i + 1).padStart(2, '0')}`);
    const setupStarted = performance.now();
    await db.transaction().execute(async (trx) => {
      await plantRepo.insertGroup(trx, { key: GROUP, name: 'Bench cell', sortOrder: 9 }, now);
      for (const [i, key] of machines.entries()) {
        await plantRepo.insertMachine(trx, { key, name: `Cell ${i + 1}`, group: GROUP, enabled: true, oeeProfile: 'iso22400', dataFolder: null, sortOrder: i }, now);
      }
      for (let p = 0; p < PRODUCTS; p++) {
        await plantRepo.insertProduct(
          trx,
          {
            key: `bench-${p}`, name: `Bench product ${p}`, shortName: `B${p}`, itemNumber: String(2_000_000 + p), color: '#336699',
            routing: Array.from({ length: STEPS }, () => ({ group: GROUP, ratePerHour: 4000 + Math.floor(random() * 4000), setupMinutes: 20, gate: null })),
          },
          now,
        );
      }
      const queueLength = new Map<string, number>();
      for (let i = 0; i < WORK_ORDERS; i++) {
        const lot = String(170_000 + i);
        const due = DateTime.fromMillis(now, { zone }).plus({ days: 10 + Math.floor(random() * 300) }).startOf('day').toMillis();
        await repo.insertWorkOrder(trx, { lot, product_key: `bench-${i % PRODUCTS}`, quantity: 10_000 + Math.floor(random() * 40_000), due, priority: 0, notes: '', rate_mode: null }, STEPS, now);
        for (let step = 0; step < STEPS; step++) {
          const machine = machines[Math.floor(random() * MACHINES)];
          const position = queueLength.get(machine) ?? 0;
          queueLength.set(machine, position + 1);
          await repo.updateOperation(trx, lot, step, { machine_key: machine, position, state: position === 0 ? 'running' : 'queued' });
        }
      }
      await replan(trx, zone, now);
    });
    const from = DateTime.fromMillis(now, { zone }).startOf('week').toMillis();
    const to = DateTime.fromMillis(from, { zone }).plus({ weeks: 4 }).toMillis();
    const board = await getBoard(db, zone, GROUP, from, to, now);
    const bars = board.lanes.reduce((n, lane) => n + lane.bars.length, 0);
    process.stderr.write(
      `board: setup ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; ${board.lanes.length} lanes, ${bars} bars in the window, ` +
        `${board.nonWorking.length} non-working stretches\n`,
    );
    if (board.lanes.length !== MACHINES || bars < 200) throw new Error(`unexpected board: ${board.lanes.length} lanes, ${bars} bars`);
    const timing = await sample(() => getBoard(db, zone, GROUP, from, to, now), 20, 3);
    return [{ name: 'schedule: board data 4 weeks x 50 machines', value: Number(timing.median.toFixed(2)), unit: 'ms', target: 30 }];
  } finally {
    await database.destroy();
  }
}
