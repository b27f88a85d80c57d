// What every section of a lot record starts from: the work order, its product and routing, its
// operations, and the windows the lot ran on each machine — read once, through the owning features'
// repositories. Also the plant-local time format every section writes (each time with its offset).
import { DateTime } from 'luxon';
import type { Executor } from '../../db/database.js';
import { NotFound } from '../../core/errors.js';
import type { SignedContentReaders } from '../auth/signatures.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import type { Product } from '../plant/schemas.js';
import type { Cell } from './schemas.js';

export interface RecordContext {
  db: Executor;
  /** the plant's IANA zone: every time of the record is written in it, with its offset */
  zone: string;
  /** what each kind of signed record binds to (server/signed-records.ts): signatures are checked against it */
  signedContent: SignedContentReaders;
  /** for the OEE engine's open-day rule only; a finished lot's record does not depend on it */
  now: number;
}

/** One operation's time on its machine: from its actual start to the lot's last cycle there (without machine data: its actual end). */
export interface LotRun {
  step: number;
  machine: string;
  from: number;
  to: number;
  /** parts and reworks the camera counted for the lot on that machine (the lot's whole count there) */
  sensorParts: number | null;
  sensorReworks: number | null;
}

export interface LotBasis {
  lot: string;
  zone: string;
  workOrder: ordersRepo.WorkOrderRow;
  product: Product | undefined;
  operations: ordersRepo.OperationRow[];
  machineNames: ReadonlyMap<string, string>;
  productNames: ReadonlyMap<string, string>;
  runs: LotRun[];
}

export async function readLotBasis(ctx: RecordContext, lot: string): Promise<LotBasis> {
  const { db } = ctx;
  const workOrder = await ordersRepo.getWorkOrder(db, lot);
  if (!workOrder) throw new NotFound('work order', lot);
  const [product, operations, machines, products] = await Promise.all([
    plantRepo.getProduct(db, workOrder.product_key),
    ordersRepo.listOperations(db, [lot]),
    plantRepo.listMachines(db),
    plantRepo.listProducts(db),
  ]);
  const runs: LotRun[] = [];
  for (const op of operations) {
    if (!op.machine_key) continue;
    // one row per item the camera saw with the lot: the lot's count on the machine is their sum
    const rows = await derivedRepo.getLotCounts(db, op.machine_key, [lot]);
    const counted = rows.length > 0;
    const from = op.actual_start ?? (counted ? Math.min(...rows.map((r) => r.firstAt)) : null);
    // the lot's last cycle there ends its run (closing the step later does not make the idle machine the lot's)
    const to = counted ? Math.max(...rows.map((r) => r.lastAt)) : op.actual_end;
    if (from === null || to === null || !(to > from)) continue;
    const sum = (pick: (r: derivedRepo.LotRow) => number) => (counted ? rows.reduce((total, r) => total + pick(r), 0) : null);
    runs.push({ step: op.step, machine: op.machine_key, from, to, sensorParts: sum((r) => r.parts), sensorReworks: sum((r) => r.reworks) });
  }
  return {
    lot,
    zone: ctx.zone,
    workOrder,
    product,
    operations,
    machineNames: new Map(machines.map((m) => [m.key, m.name])),
    productNames: new Map(products.map((p) => [p.key, p.name])),
    runs,
  };
}

/** "2026-12-01 14:03:27 -08:00": plant-local to the second, with the offset (Part 11 / Annex 11 readers need the clock). */
export function localTime(ms: number | null | undefined, zone: string): string | null {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return null;
  return DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss ZZ');
}

export function localIsoTime(iso: string | null, zone: string): string | null {
  return iso === null ? null : localTime(Date.parse(iso), zone);
}

/** a machine by its name, with the key ("Line 7 (line7)") */
export const machineLabel = (basis: LotBasis, key: string | null): Cell => (key === null ? null : `${basis.machineNames.get(key) ?? key} (${key})`);

/** a ratio as a percentage with one decimal, or null */
export const percent = (value: number | null): Cell => (value === null || !Number.isFinite(value) ? null : Math.round(value * 1000) / 10);

/** whole seconds to a tenth */
export const seconds = (value: number): number => Math.round(value * 10) / 10;
