// What machine data writes into orders: the progress of the operations running or queued for the
// lots it saw on a machine, and the machine moving on. The one way machine data changes operations.
import type { Tx } from '../../db/database.js';
import { operationId, queueState } from '../../core/schedule/index.js';
import { goodUnits } from '../../core/oee/units.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import * as repo from './repository.js';
import { renumberQueue } from './service.js';

/** What machine data measured of one lot on one machine (whole-lot counts and the recent rate). */
export interface LotProgress {
  /** parts − reworks */
  produced: number;
  observedRatePerHour: number;
  /** the machine's learned rate ahead (core/forecast recommendedRate); null when not measured */
  recommendedRatePerHour?: number | null;
  /** the lot's first and latest cycle on the machine */
  firstAt: number;
  lastAt: number;
}

/**
 * Production progress of the running/queued operations of these lots on the machine. `measure` is
 * asked for the lots that have such an operation; an operation whose lot it leaves out (no cycles of
 * the lot left on the machine, an import undone) goes back to nothing produced. good = produced −
 * scrap; the first cycle sets actual start; the head of the queue becomes 'running' once production
 * started on it.
 *
 * The machine moving on: when the lot the machine makes now (the latest cycle) is not the head of
 * its queue, every operation ahead of it that reached its quantity before that lot's first cycle is
 * done (actual end = its last cycle, audited as the system's), and the lot being made moves to the
 * head — the board shows what the machine runs. An operation ahead that is short of its quantity
 * stays on the queue behind it (interrupted, not closed: closing short needs a person's reason).
 * Returns how many operations changed.
 */
export async function recordProgress(
  db: Tx,
  machine: string,
  lots: readonly string[],
  measure: (lots: string[]) => Promise<Map<string, LotProgress>>,
  now = Date.now(),
): Promise<number> {
  if (lots.length === 0) return 0;
  const operations = await repo.lotOperationsOnMachine(db, machine, lots);
  if (operations.length === 0) return 0;
  const measured = await measure([...new Set(operations.map((op) => op.lot))]);
  for (const op of operations) {
    const lot = measured.get(op.lot);
    const produced = lot?.produced ?? 0;
    const actualStart = lot ? (op.actual_start === null ? lot.firstAt : Number(op.actual_start)) : null;
    await repo.updateOperation(db, op.lot, op.step, {
      produced,
      // the operation's scrap are its rejects; good is never below 0
      good: lot ? Math.max(0, goodUnits(produced, Number(op.scrap))) : 0,
      observed_rate_per_hour: lot?.observedRatePerHour ?? null,
      recommended_rate_per_hour: lot?.recommendedRatePerHour ?? null,
      actual_start: actualStart,
      state: queueState({ state: op.state, produced, actual_start: actualStart }, op.position === null ? 1 : Number(op.position)),
    });
  }
  return operations.length + (await followMachine(db, machine, measured, measure, now));
}

async function followMachine(db: Tx, machine: string, measured: Map<string, LotProgress>, measure: (lots: string[]) => Promise<Map<string, LotProgress>>, now: number): Promise<number> {
  let current: { lot: string; progress: LotProgress } | null = null;
  for (const [lot, progress] of measured) if (progress.produced > 0 && (current === null || progress.lastAt > current.progress.lastAt)) current = { lot, progress };
  if (current === null) return 0;
  const queue = await repo.machineQueue(db, machine);
  const at = queue.findIndex((op) => op.lot === current.lot && op.state !== 'held');
  if (at <= 0) return 0;
  const ahead = [...new Set(queue.slice(0, at).map((op) => op.lot))];
  const quantities = new Map((await repo.listWorkOrders(db, ahead)).map((wo) => [wo.lot, Number(wo.quantity)]));
  // the lots ahead need not be in this batch (the changeover came in an earlier one)
  const missing = ahead.filter((lot) => !measured.has(lot));
  const aheadProgress = missing.length > 0 ? await measure(missing) : new Map<string, LotProgress>();
  let changed = 0;
  const stays: string[] = [];
  for (const op of queue.slice(0, at)) {
    const progress = measured.get(op.lot) ?? aheadProgress.get(op.lot);
    const quantity = quantities.get(op.lot);
    const finished = op.state === 'running' && quantity !== undefined && op.produced >= quantity && progress !== undefined && progress.lastAt < current.progress.firstAt;
    if (!finished) {
      stays.push(operationId(op));
      continue;
    }
    await repo.updateOperation(db, op.lot, op.step, {
      state: 'done',
      position: null,
      actual_start: op.actual_start ?? progress.firstAt,
      actual_end: progress.lastAt,
      forecast_start: null,
      forecast_end: null,
      late: 0,
    });
    await appendAudit(
      db,
      {
        ...SYSTEM,
        source: 'machine data',
        reason: `lot reached its quantity (${op.produced} of ${quantity}) and ${machine} started lot ${current.lot}`,
        entity: 'work-order',
        entityKey: op.lot,
        action: 'close',
        before: { step: op.step, state: op.state, machine, position: op.position },
        after: { step: op.step, state: 'done', produced: op.produced, good: op.good, quantity },
      },
      now,
    );
    changed++;
  }
  const rest = queue.slice(at).map(operationId);
  const head = rest.shift() as string;
  await renumberQueue(db, machine, [head, ...stays, ...rest]);
  return changed + 1;
}
