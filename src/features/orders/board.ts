// Data of the planning board for one process group and a time window: lanes (machines) with their
// bars, the parking lot of the group, and the non-working time to shade.
import { z } from 'zod';
import type { Executor } from '../../db/database.js';
import { NotFound } from '../../core/errors.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import * as plantRepo from '../plant/repository.js';
import { cachedWorkingTime } from './planner.js';
import * as repo from './repository.js';

export const boardBarSchema = z.object({
  lot: z.string(),
  step: z.number(),
  product: z.string(),
  shortName: z.string(),
  color: z.string(),
  quantity: z.number(),
  produced: z.number(),
  state: z.string(),
  position: z.number().nullable(),
  start: z.number().nullable(),
  end: z.number().nullable(),
  late: z.boolean(),
  due: z.number().nullable(),
  version: z.number(),
});
export const boardSchema = z.object({
  group: z.object({ key: z.string(), name: z.string() }),
  from: z.number(),
  to: z.number(),
  now: z.number(),
  lanes: z.array(z.object({ machine: z.string(), name: z.string(), enabled: z.boolean(), bars: z.array(boardBarSchema) })),
  parked: z.array(boardBarSchema),
  nonWorking: z.array(z.object({ start: z.number(), end: z.number() })),
});
export type Board = z.infer<typeof boardSchema>;
export type BoardBar = z.infer<typeof boardBarSchema>;

export async function getBoard(db: Executor, zone: string, groupKey: string, from: number, to: number, now: number): Promise<Board> {
  const group = await plantRepo.getGroup(db, groupKey);
  if (!group) throw new NotFound('process group', groupKey);
  const machines = await plantRepo.listMachines(db, groupKey);
  const [products, operations, calendar] = await Promise.all([
    plantRepo.listProducts(db),
    repo.listBoardOperations(db, machines.map((m) => m.key), from, to),
    loadCalendarSpec(db),
  ]);
  const productByKey = new Map(products.map((p) => [p.key, p]));
  const lanes = new Map(machines.map((m) => [m.key, { machine: m.key, name: m.name, enabled: m.enabled, bars: [] as BoardBar[] }]));
  const parked: BoardBar[] = [];
  for (const op of operations) {
    const product = productByKey.get(op.product_key);
    if (!product || product.routing[op.step]?.group !== groupKey || op.state === 'done') continue;
    const bar: BoardBar = {
      lot: op.lot, step: op.step, product: product.key, shortName: product.shortName, color: product.color, quantity: op.quantity,
      produced: op.produced, state: op.state, position: op.position, start: op.forecast_start, end: op.forecast_end,
      late: op.late === 1, due: op.due, version: op.version,
    };
    if (op.state === 'parked' || !op.machine_key) {
      parked.push(bar);
      continue;
    }
    const lane = lanes.get(op.machine_key);
    // bars outside the window are left out, except unplanned ones (the lane still lists its queue)
    if (lane && (bar.start === null || bar.end === null || (bar.end > from && bar.start < to))) lane.bars.push(bar);
  }
  for (const lane of lanes.values()) lane.bars.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  parked.sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity) || (a.lot < b.lot ? -1 : 1));
  const working = cachedWorkingTime(calendar, zone)(from, to);
  const nonWorking: { start: number; end: number }[] = [];
  let cursor = from;
  for (const w of working) {
    if (w.start > cursor) nonWorking.push({ start: cursor, end: w.start });
    cursor = Math.max(cursor, w.end);
  }
  if (cursor < to) nonWorking.push({ start: cursor, end: to });
  return { group: { key: group.key, name: group.name }, from, to, now, lanes: [...lanes.values()], parked, nonWorking };
}
