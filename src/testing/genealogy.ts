// Test support for genealogy: lots with good counts on chosen steps, and kit-only products (a routing
// of only the kitting step), written straight to the database through the owners' repositories.
import type { Executor } from '../db/database.js';
import * as ordersRepo from '../features/orders/repository.js';
import * as plantRepo from '../features/plant/repository.js';
import type { ProductCreate } from '../features/plant/schemas.js';

/** A kit-only product of the demo plant's kitting group. */
export function kitOnlyProduct(key: string, name: string, itemNumber: string): ProductCreate {
  return { key, name, shortName: name.slice(0, 40), itemNumber, color: '#445566', family: null, routing: [{ group: 'kitting', ratePerHour: 4000, setupMinutes: 20, gate: null }] };
}

export async function addKitOnlyProduct(db: Executor, key: string, name: string, itemNumber: string, now = Date.now()): Promise<void> {
  await plantRepo.insertProduct(db, kitOnlyProduct(key, name, itemNumber), now);
}

export interface TestLot {
  lot: string;
  product: string;
  /** good count per step (index = step); missing = 0 */
  good?: number[];
  /** machine per step; undefined = parked */
  machines?: (string | undefined)[];
  /** actual start/end of the steps that have good output */
  start?: number;
  end?: number;
}

/** Inserts a work order with its operations; steps with good output are done on their machine. */
export async function addLot(db: Executor, lot: TestLot, steps: number, now = Date.now()): Promise<void> {
  await ordersRepo.insertWorkOrder(db, { lot: lot.lot, product_key: lot.product, quantity: Math.max(1000, ...(lot.good ?? [0])), due: null, priority: 0, notes: '', rate_mode: null }, steps, now);
  for (let step = 0; step < steps; step++) {
    const good = lot.good?.[step] ?? 0;
    const machine = lot.machines?.[step];
    if (good === 0 && !machine) continue;
    await ordersRepo.updateOperation(db, lot.lot, step, {
      state: good > 0 ? 'done' : 'queued',
      machine_key: machine ?? null,
      produced: good,
      good,
      actual_start: good > 0 ? (lot.start ?? now - 86_400_000) : null,
      actual_end: good > 0 ? (lot.end ?? now - 3_600_000) : null,
    });
  }
}
