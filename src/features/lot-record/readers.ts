// Reads more than one section needs (the lot's stops, the audit entries of every record involved),
// each once per assembly: memoised on the basis object, which lives for one assembly.
import { listAudit, type AuditEntry } from '../audit/repository.js';
import { listStops } from '../oee/service.js';
import type { Stop } from '../oee/schemas.js';
import { SHIFT_LOG_ENTITY, parseShiftLogKey, shiftLogKey } from '../operator-input/shift-log.js';
import * as inputRepo from '../operator-input/repository.js';
import type { LotBasis, LotRun, RecordContext } from './basis.js';

const memo = new WeakMap<LotBasis, Map<string, Promise<unknown>>>();
function once<T>(basis: LotBasis, key: string, read: () => Promise<T>): Promise<T> {
  let cache = memo.get(basis);
  if (!cache) memo.set(basis, (cache = new Map()));
  if (!cache.has(key)) cache.set(key, read());
  return cache.get(key) as Promise<T>;
}

/** the audit key of a stop (operator-input's: machine@start ISO) */
export const stopKey = (machine: string, startMs: number) => `${machine}@${new Date(startMs).toISOString()}`;

export interface RunStops {
  run: LotRun;
  stops: Stop[];
  truncated: boolean;
}

/** The stops of each run of the lot, by the OEE engine's rule (those counted in the run's window), with their reasons. */
export function lotStops(ctx: RecordContext, basis: LotBasis): Promise<RunStops[]> {
  return once(basis, 'stops', async () => {
    const result: RunStops[] = [];
    for (const run of basis.runs) {
      const answer = await listStops(ctx.db, ctx.zone, { machine: run.machine, from: run.from, to: run.to }, ctx.now);
      result.push({ run, stops: answer.stops, truncated: answer.truncated });
    }
    return result;
  });
}

/** The shift reports of the lot's machines for the shifts it ran in. */
export function lotShiftLogs(ctx: RecordContext, basis: LotBasis): Promise<inputRepo.ShiftLogRow[]> {
  return once(basis, 'shift-logs', async () => {
    const rows: inputRepo.ShiftLogRow[] = [];
    // a shift that started up to a day before the run may contain its start
    for (const run of basis.runs) rows.push(...(await inputRepo.shiftLogsBetween(ctx.db, [run.machine], run.from - 86_400_000, run.to)).filter((log) => log.shiftEnd > run.from));
    return rows;
  });
}

/**
 * The audit entries of every record of the lot: the work order (its gates and closing are entries
 * of it), the stops of its runs, its machines' shift reports of those shifts. Oldest first.
 */
export function lotAudit(ctx: RecordContext, basis: LotBasis): Promise<AuditEntry[]> {
  return once(basis, 'audit', async () => {
    const all = 1_000_000;
    const workOrder = await listAudit(ctx.db, { entity: 'work-order', entityKey: basis.lot, limit: all });
    const earliest = Math.min(...basis.runs.map((r) => r.from));
    const stops: AuditEntry[] = [];
    const reports: AuditEntry[] = [];
    if (basis.runs.length > 0) {
      // the stops listed for the lot's runs; a reason is given after its stop began (a stop may begin up to a day before the run)
      const stopKeys = new Set((await lotStops(ctx, basis)).flatMap(({ run, stops: list }) => list.map((s) => stopKey(run.machine, s.startMs))));
      for (const entry of await listAudit(ctx.db, { entity: 'stop', from: earliest - 86_400_000, limit: all })) {
        if (stopKeys.has(entry.entityKey)) stops.push(entry);
      }
      const logKeys = new Set((await lotShiftLogs(ctx, basis)).map((log) => shiftLogKey(log.machine, log.shiftStart)));
      for (const entry of await listAudit(ctx.db, { entity: SHIFT_LOG_ENTITY, from: earliest - 86_400_000, limit: all })) {
        if (logKeys.has(entry.entityKey) && parseShiftLogKey(entry.entityKey)) reports.push(entry);
      }
    }
    return [...workOrder, ...stops, ...reports].sort((a, b) => a.id - b.id);
  });
}

/** The scrap operators entered for the lot on the machines it ran on (around its runs: scrap counts at a time inside its shift). */
export function lotScrap(ctx: RecordContext, basis: LotBasis): Promise<inputRepo.ScrapRow[]> {
  return once(basis, 'scrap', async () => {
    const rows: inputRepo.ScrapRow[] = [];
    for (const run of basis.runs) rows.push(...(await inputRepo.scrapBetween(ctx.db, [run.machine], run.from - 86_400_000, run.to + 86_400_000)).filter((s) => s.lot === basis.lot));
    return rows;
  });
}
