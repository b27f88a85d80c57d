// Demo work orders so the planning board and the work-order list have something to show at first
// start: some running and queued on the pouching lines, one waiting in kitting, a few in the parking
// lot, one that will be late. Lines 7 and 8 are left free (browser tests and the sample logs use them).
import { DateTime } from 'luxon';
import type { Tx } from '../../db/database.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import { DEMO_PRODUCTS } from './plant.js';
import * as repo from '../orders/repository.js';
import { replan } from '../orders/planner.js';

interface DemoOrder {
  lot: string;
  product: string;
  quantity: number;
  dueInDays: number;
  /** machine per step (index = step); undefined = parked */
  machines: (string | undefined)[];
  produced?: number;
}

const DEMO_ORDERS: DemoOrder[] = [
  { lot: '160101', product: 'flu-ab', quantity: 200_000, dueInDays: 9, machines: ['line6', 'kit1'], produced: 64_000 },
  { lot: '160102', product: 'sars-ag', quantity: 120_000, dueInDays: 12, machines: ['line6', 'kit1'] },
  { lot: '160103', product: 'flu-sars', quantity: 150_000, dueInDays: 8, machines: ['line9'], produced: 20_000 },
  { lot: '160104', product: 'strep-a-plus', quantity: 90_000, dueInDays: 14, machines: ['line9', 'kit2'] },
  { lot: '160105', product: 'rsv', quantity: 60_000, dueInDays: 3, machines: ['line10', 'kit2'], produced: 5_000 },
  { lot: '160106', product: 'flu-ab', quantity: 250_000, dueInDays: 4, machines: ['line10'] },
  { lot: '160107', product: 'strep-a-inline', quantity: 70_000, dueInDays: 10, machines: ['dip-a', 'kit3'], produced: 10_000 },
  { lot: '160108', product: 'strep-a-inline', quantity: 40_000, dueInDays: 16, machines: ['dip-b'] },
  { lot: '160109', product: 'sars-ag', quantity: 100_000, dueInDays: 20, machines: ['line11'] },
  { lot: '160110', product: 'flu-sars', quantity: 180_000, dueInDays: 18, machines: [] },
  { lot: '160111', product: 'rsv', quantity: 50_000, dueInDays: 22, machines: [] },
  { lot: '160112', product: 'strep-a-plus', quantity: 75_000, dueInDays: 25, machines: [] },
];

export async function seedDemoOrders(trx: Tx, zone: string, now: number): Promise<number> {
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  const queueLength = new Map<string, number>();
  for (const order of DEMO_ORDERS) {
    const product = DEMO_PRODUCTS.find((p) => p.key === order.product);
    if (!product) throw new Error(`demo order ${order.lot}: unknown product ${order.product}`);
    const due = today.plus({ days: order.dueInDays }).endOf('day').toMillis();
    await repo.insertWorkOrder(trx, { lot: order.lot, product_key: order.product, quantity: order.quantity, due, priority: 0, notes: '', rate_mode: null }, product.routing.length, now);
    for (const [step, machine] of order.machines.entries()) {
      if (!machine) continue;
      const position = queueLength.get(machine) ?? 0;
      queueLength.set(machine, position + 1);
      const produced = step === 0 ? (order.produced ?? 0) : 0;
      await repo.updateOperation(trx, order.lot, step, {
        machine_key: machine,
        position,
        state: position === 0 && produced > 0 ? 'running' : 'queued',
        produced,
        good: produced,
        actual_start: produced > 0 ? now - 8 * 3_600_000 : null,
      });
    }
    await appendAudit(trx, { ...SYSTEM, entity: 'work-order', entityKey: order.lot, action: 'create', after: { lot: order.lot, product: order.product, quantity: order.quantity, demo: true } });
  }
  await replan(trx, zone, now);
  return DEMO_ORDERS.length;
}
