// Undo of one imported file (one ledger row): its raw cycles go, and everything derived from them
// is put back to what it would be had the file never been imported — in ONE transaction under the
// machine's ingest lock, with the audit entry and its reason, like an ingest batch.
//
// Arrival order is the stored (file id, line) order. Let A be the cycles that arrived before the
// file F, B those after it. The derived tables are a fold over A ++ F ++ B; the target is the fold
// over A ++ B. Everything of a minute/hour row except its two gap sums (gap_ms, lead_in_ms) is a
// plain aggregate of the cycles in it, so it is recounted from the stored cycles; the gap sums
// need each cycle's predecessor, so they are corrected by difference: − derive(F ++ B) + derive(B),
// both chained onto the last cycle of A. Gaps and packed gap days lose F ++ B's gaps and get B's
// again; lots of F and B are recounted; B's rework flags are decided again without F's serials.
// Usually F is the latest file and B is empty.
import type { Db, Tx } from '../../db/database.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { PartRegistry } from '../../core/oee/rework.js';
import type { Cycle } from '../../core/sensor/index.js';
import { appendAudit } from '../audit/repository.js';
import type { Who } from '../audit/who.js';
import { replan } from '../orders/planner.js';
import { MS_PER_HOUR, MS_PER_MINUTE } from '../../core/time.js';
import { countPeriods, deriveBatch, gapsByDay, type DerivedBatch, type PeriodCounts, type ReworkJudge } from '../../core/oee/derive.js';
import type { Ingestor } from './ingest.js';
import type { Publisher } from './service.js';
import { updateOperationsForLots } from './production.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import type { StoredCycle } from './repository.js';
import * as derivedRepo from './derived-repository.js';

/** Sources whose ledger rows are single files that can be taken back (an MQTT row is a live stream). */
export const UNDOABLE_SOURCES = ['upload', 'file', 'demo'] as const;
/** Cycles that may have arrived after the file: more is a job for a rebuild, not for an undo. */
export const MAX_LATER_CYCLES = 2_000_000;

export interface UndoResult {
  fileId: number;
  file: string;
  machine: string;
  cyclesRemoved: number;
  lots: string[];
  firstAt: number | null;
  lastAt: number | null;
  operationsUpdated: number;
}

/** Replays the stored rework flags of the part cycles, in order (what derive saw at ingest). */
class StoredFlags implements ReworkJudge {
  private index = 0;
  constructor(private readonly flags: readonly boolean[]) {}
  isRework(): boolean {
    return this.flags[this.index++] ?? false;
  }
}

const asCycle = (c: StoredCycle): Cycle => ({ at: c.at, item: c.item, lot: c.lot, serial: c.serial, part: c.part, line: c.line });

/** Hour starts covering every cycle of the derived batches. */
function touchedHours(...batches: DerivedBatch[]): number[] {
  const hours = new Set<number>();
  for (const batch of batches) for (const hour of batch.hours.keys()) hours.add(hour);
  return [...hours].sort((a, b) => a - b);
}

export async function undoImport(ingestor: Ingestor, zone: string, who: Who, fileId: number, reason: string, events: Publisher | null, now = Date.now()): Promise<UndoResult> {
  const trimmed = reason.trim();
  if (trimmed.length < 3) throw Invalid.field('reason', 'say why the import is undone (at least 3 characters)');
  const db: Db = ingestor.db;
  const found = await ledgerRepo.ledgerById(db, fileId);
  if (!found) throw new NotFound('imported file', String(fileId));
  const result = await ingestor.withMachine(found.machine, () => db.transaction().execute((trx) => undoLocked(trx, zone, { ...who, reason: trimmed }, fileId, now)));
  // the plan follows the produced counts; open screens reload
  await db.transaction().execute((trx) => replan(trx, zone, now));
  events?.publish({ topic: 'schedule', data: { machines: [result.machine], reason: 'production' } });
  events?.publish({ topic: 'production', data: { machines: [result.machine], cycles: -result.cyclesRemoved } });
  return result;
}

async function undoLocked(trx: Tx, zone: string, who: Who, fileId: number, now: number): Promise<UndoResult> {
  const file = await ledgerRepo.ledgerById(trx, fileId);
  if (!file) throw new NotFound('imported file', String(fileId));
  const machine = file.machine;
  if (file.status === 'undone') throw new Conflict(`${file.name} on ${machine} was already undone (${file.message ?? ''})`);
  if (!(UNDOABLE_SOURCES as readonly string[]).includes(file.source)) throw new Conflict(`${file.name} is a live MQTT stream, not a file: it cannot be undone`);
  if (file.status !== 'active') throw new Conflict(`${file.name} on ${machine} was replaced by a newer version of the file; undo that one instead`);
  const state = await repo.lockMachineState(trx, machine, now);

  const span = file.firstAt !== null && file.lastAt !== null ? { id: file.id, firstAt: file.firstAt, lastAt: file.lastAt } : null;
  const own = span ? await repo.fileCycles(trx, machine, span) : [];
  if (own.length !== file.cycles) {
    throw new Conflict(`${file.name}: only ${own.length} of its ${file.cycles} cycles are still stored (older raw data is removed after the retention period), so it cannot be undone`);
  }
  const later = await ledgerRepo.filesAround(trx, machine, file.id, 'after');
  const laterCount = later.reduce((sum, f) => sum + f.cycles, 0);
  if (laterCount > MAX_LATER_CYCLES) throw new Conflict(`${file.name}: ${laterCount} cycles arrived on ${machine} after it; too many to undo it here`);
  const after: StoredCycle[] = [];
  for (const f of later) for (const c of await repo.fileCycles(trx, machine, f)) after.push(c);

  // the last cycle of A: what F's first cycle chained onto
  const [previousFile] = await ledgerRepo.filesAround(trx, machine, file.id, 'before');
  const previousAt = previousFile ? await repo.lastCycleOfFile(trx, machine, previousFile) : null;

  const carry = { firstAt: previousAt === null ? null : state.firstAt, lastAt: previousAt, maxGapMs: state.maxGapMs };
  const withFile = [...own, ...after];
  const removed = deriveBatch(withFile.map(asCycle), carry, new StoredFlags(withFile.filter((c) => c.part).map((c) => c.rework)));
  // B's rework flags without F: the registry knows the serials that arrived before F
  const registry = new PartRegistry();
  const laterLots = new Set(after.filter((c) => c.part).map((c) => c.lot));
  for (const lot of laterLots) for (const serial of await repo.lotPartSerials(trx, machine, lot, file.id)) registry.isRework(lot, serial);
  const replayed = deriveBatch(after.map(asCycle), carry, registry);

  // raw cycles: F goes, B's flags follow the new judgement
  await repo.deleteFileCycles(trx, machine, span ?? { id: file.id, firstAt: 0, lastAt: 0 });
  for (let i = 0; i < after.length; i++) {
    const rework = replayed.reworks[i] === 1;
    if (after[i].part && rework !== after[i].rework) await repo.setReworkFlag(trx, machine, after[i], rework);
  }

  // minute and hour rows: recounted, gap sums corrected by difference
  const hours = touchedHours(removed, replayed);
  for (const [table, unit, before, again] of [
    ['minute_counts', MS_PER_MINUTE, removed.minutes, replayed.minutes],
    ['hour_counts', MS_PER_HOUR, removed.hours, replayed.hours],
  ] as const) {
    const starts = [...new Set([...before.keys(), ...again.keys()])];
    const sums = await derivedRepo.periodGapSums(trx, table, machine, starts);
    const recounted = new Map<number, PeriodCounts>();
    for (const hour of hours) for (const [start, counts] of countPeriods(await repo.cyclesBetween(trx, machine, hour, hour + MS_PER_HOUR), unit)) recounted.set(start, counts);
    for (const start of starts) {
      const counts = recounted.get(start) ?? null;
      if (counts) {
        const sum = sums.get(start) ?? { gapMs: 0, leadInMs: 0 };
        counts.gapMs = sum.gapMs - (before.get(start)?.gapMs ?? 0) + (again.get(start)?.gapMs ?? 0);
        counts.leadInMs = sum.leadInMs - (before.get(start)?.leadInMs ?? 0) + (again.get(start)?.leadInMs ?? 0);
      }
      await derivedRepo.writePeriodRow(trx, table, machine, start, counts);
    }
  }

  // gaps, as rows and packed per day
  await derivedRepo.deleteGaps(trx, machine, removed.gaps);
  await derivedRepo.insertGaps(trx, machine, replayed.gaps);
  await derivedRepo.rewriteGapDays(trx, machine, gapsByDay(removed.gaps), gapsByDay(replayed.gaps));

  // lots, the machine's carry, and what the plan knows of them
  const lots = [...removed.lots.keys()];
  const fileLots = [...new Set(own.map((c) => c.lot).filter((lot) => removed.lots.has(lot)))];
  for (const lot of lots) await derivedRepo.recountLot(trx, machine, lot);
  // the longest gap may have been one of F's: the bound shrinks back to what is stored
  await repo.saveMachineCarry(trx, machine, { firstAt: replayed.carry.firstAt, lastAt: replayed.carry.lastAt, maxGapMs: await derivedRepo.longestGapMs(trx, machine) }, now);
  const operationsUpdated = lots.length > 0 ? await updateOperationsForLots(trx, machine, lots, zone) : 0;

  await ledgerRepo.markLedgerUndone(trx, file.id, `undone by ${who.actor}: ${who.reason ?? ''}`, now);
  await ledgerRepo.retireCopiesOf(trx, file.id, `replaced: ${file.name}, whose content it repeated, was undone`, now);
  await appendAudit(
    trx,
    {
      ...who,
      entity: 'sensor-file',
      entityKey: `${machine}/${file.name}`,
      action: 'undo-import',
      before: { file: file.name, machine, cycles: file.cycles, firstAt: file.firstAt, lastAt: file.lastAt, lots: fileLots },
      after: { file: file.name, machine, cycles: 0 },
    },
    now,
  );
  return { fileId: file.id, file: file.name, machine, cyclesRemoved: own.length, lots: fileLots, firstAt: file.firstAt, lastAt: file.lastAt, operationsUpdated };
}
