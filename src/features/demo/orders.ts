// Demo work orders so the planning board and the work-order list have something to show at first
// start: every iTrak line (6–11) busy with 2–3 lots, the last one long enough for a week of the
// living demo at ~140/min; one on the dipsticks, one waiting in kitting, a few in the parking lot,
// one that will be late.
//
// Produced counts: a still demo (QMFG_DEMO_LIVE=0) seeds them as written here. A living demo seeds 0
// on the simulated lines: their counts come from machine data only (the back-fill, then live cycles),
// since machine data's lot counts replace an operation's produced — a seeded count would drop at the
// first ingest.
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

/** Longer than a week of one line at ~140/min in the demo's 16.5 working hours a day (~970 000). */
const WEEK_LOT = 1_000_000;

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
  // lines 7 and 8 (the operator's lines) and a week-long lot at the end of every iTrak queue
  { lot: '160113', product: 'strep-a-plus', quantity: 150_000, dueInDays: 7, machines: ['line7'], produced: 30_000 },
  { lot: '160114', product: 'flu-ab', quantity: WEEK_LOT, dueInDays: 21, machines: ['line7'] },
  { lot: '160115', product: 'rsv', quantity: 120_000, dueInDays: 6, machines: ['line8'], produced: 12_000 },
  { lot: '160116', product: 'sars-ag', quantity: WEEK_LOT, dueInDays: 21, machines: ['line8'] },
  { lot: '160117', product: 'flu-sars', quantity: WEEK_LOT, dueInDays: 24, machines: ['line6'] },
  { lot: '160118', product: 'flu-ab', quantity: WEEK_LOT, dueInDays: 24, machines: ['line9'] },
  { lot: '160119', product: 'strep-a-plus', quantity: WEEK_LOT, dueInDays: 24, machines: ['line10'] },
  { lot: '160120', product: 'rsv', quantity: WEEK_LOT, dueInDays: 24, machines: ['line11'] },
];

/** The demo's lots (lot, product, quantity, machine per step) — for tests that look at the demo's content. */
export const DEMO_ORDER_LOTS: readonly Pick<DemoOrder, 'lot' | 'product' | 'quantity' | 'machines'>[] = DEMO_ORDERS;

export interface DemoOrderOptions {
  /** machines whose produced counts come from machine data (the living demo's): seeded at 0 */
  simulated?: readonly string[];
}

export async function seedDemoOrders(trx: Tx, zone: string, now: number, options: DemoOrderOptions = {}): Promise<number> {
  const simulated = new Set(options.simulated ?? []);
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
      const produced = step === 0 && !simulated.has(machine) ? (order.produced ?? 0) : 0;
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
