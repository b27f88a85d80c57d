// The demo's genealogy (issue 16 item 3): a kit-only product, "Flu Combo Kit", and one combo kit lot
// fed by two pouch lots with its consumption recorded — so the work-order page and the Trace page have
// a two-pouch-lot kit to show at first start. The pouch lots were pouched a few days ago and the rest
// of each went through its own kitting step (the routing's derived link shows what is left).
import { DateTime } from 'luxon';
import type { Tx } from '../../db/database.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as genealogyRepo from '../genealogy/repository.js';
import type { ProductCreate } from '../plant/schemas.js';

export const DEMO_COMBO_PRODUCT: ProductCreate = {
  key: 'flu-combo-kit',
  name: 'Flu Combo Kit',
  shortName: 'Flu Combo',
  itemNumber: '1460100',
  color: '#1f8a70',
  family: 'flu',
  routing: [{ group: 'kitting', ratePerHour: 4000, setupMinutes: 20, gate: null }],
};

/** The demo kit lot and the pouch lots it consumed (lot, product, pouched good, into the kit). */
export const DEMO_KIT_LOT = '158990';
export const DEMO_POUCH_LOTS = [
  { lot: '158970', product: 'flu-ab', machine: 'line11', good: 48_000, intoKit: 12_000, daysAgo: 4 },
  { lot: '158971', product: 'flu-sars', machine: 'line11', good: 36_000, intoKit: 12_000, daysAgo: 3 },
] as const;

const HOUR = 3_600_000;

export async function seedDemoGenealogy(trx: Tx, zone: string, now: number): Promise<void> {
  await plantRepo.insertProduct(trx, DEMO_COMBO_PRODUCT, now);
  const today = DateTime.fromMillis(now, { zone }).startOf('day');
  for (const pouch of DEMO_POUCH_LOTS) {
    const pouchedFrom = today.minus({ days: pouch.daysAgo }).set({ hour: 6, minute: 30 }).toMillis();
    const pouchedTo = pouchedFrom + Math.ceil(pouch.good / 5000) * HOUR;
    const kittedFrom = pouchedTo + 26 * HOUR; // after the 24 h QC release
    await ordersRepo.insertWorkOrder(trx, { lot: pouch.lot, product_key: pouch.product, quantity: pouch.good, due: today.minus({ days: 1 }).endOf('day').toMillis(), priority: 0, notes: '', rate_mode: null }, 2, now);
    await ordersRepo.updateOperation(trx, pouch.lot, 0, { state: 'done', machine_key: pouch.machine, produced: pouch.good, good: pouch.good, actual_start: pouchedFrom, actual_end: pouchedTo });
    const ownKits = pouch.good - pouch.intoKit;
    await ordersRepo.updateOperation(trx, pouch.lot, 1, { state: 'done', machine_key: 'kit2', produced: ownKits, good: ownKits, actual_start: kittedFrom, actual_end: kittedFrom + Math.ceil(ownKits / 4000) * HOUR });
    await appendAudit(trx, { ...SYSTEM, entity: 'work-order', entityKey: pouch.lot, action: 'create', after: { lot: pouch.lot, product: pouch.product, quantity: pouch.good, demo: true } });
  }
  const quantity = DEMO_POUCH_LOTS.reduce((sum, p) => sum + p.intoKit, 0);
  const kitFrom = today.minus({ days: 1 }).set({ hour: 7 }).toMillis();
  await ordersRepo.insertWorkOrder(trx, { lot: DEMO_KIT_LOT, product_key: DEMO_COMBO_PRODUCT.key, quantity, due: today.plus({ days: 2 }).endOf('day').toMillis(), priority: 0, notes: 'Demo combo kit: one Flu A/B and one Flu+SARS pouch per kit', rate_mode: null }, 1, now);
  await ordersRepo.updateOperation(trx, DEMO_KIT_LOT, 0, { state: 'done', machine_key: 'kit3', produced: quantity, good: quantity, actual_start: kitFrom, actual_end: kitFrom + Math.ceil(quantity / 4000) * HOUR });
  await appendAudit(trx, { ...SYSTEM, entity: 'work-order', entityKey: DEMO_KIT_LOT, action: 'create', after: { lot: DEMO_KIT_LOT, product: DEMO_COMBO_PRODUCT.key, quantity, demo: true } });
  const links = DEMO_POUCH_LOTS.map((p) => ({ sourceLot: p.lot, sourceStep: 0, quantity: p.intoKit }));
  await genealogyRepo.replaceConsumption(trx, { kitLot: DEMO_KIT_LOT, kitStep: 0, expectedVersion: 0, now, actor: SYSTEM.actor }, links);
  await appendAudit(trx, { ...SYSTEM, entity: 'work-order', entityKey: DEMO_KIT_LOT, action: 'record-consumption', after: { consumed: links.map((l) => ({ lot: l.sourceLot, step: l.sourceStep, quantity: l.quantity })), version: 1 } }, now);
}
