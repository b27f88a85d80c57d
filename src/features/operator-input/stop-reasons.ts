// The reasons of stops, from the machine's process-group tree: a stop gets one reason, or is split
// into segments with a reason each (a long stop that was a changeover, then a jam). Changing a
// reason somebody gave needs a justification; a stop inside a signed shift report is locked. Each
// segment keeps the tree version, category and wording it was given, so editing the tree later
// never rewrites history.
import type { Db, Executor } from '../../db/database.js';
import type { Who } from '../audit/who.js';
import { appendAudit } from '../audit/repository.js';
import * as plantRepo from '../plant/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import * as repo from './repository.js';
import { Invalid, NotFound } from '../../core/errors.js';
import { requireReason } from '../../core/reasons.js';
import { isStopCategory, leafOf, pathLabel, type LossCategory } from '../../core/losses/index.js';
import { ensureStoredTree, currentTree } from './trees.js';
import { assertInstantOpen } from './lock.js';

export interface SegmentInput {
  /** instant the segment starts (the stop's start for the first); ms */
  start?: number;
  reason: string;
  comment?: string | null;
}

export interface SegmentView {
  start: string;
  startMs: number;
  end: string;
  endMs: number;
  reason: string | null;
  label: string | null;
  category: LossCategory | null;
  treeVersion: number | null;
  comment: string | null;
  by: string;
  at: string;
}

export function segmentViews(rows: readonly repo.SegmentRow[]): SegmentView[] {
  return rows.map((row, i) => {
    const endMs = repo.segmentEnd(rows, i);
    return {
      start: new Date(row.segmentStart).toISOString(),
      startMs: row.segmentStart,
      end: new Date(endMs).toISOString(),
      endMs,
      reason: row.reasonId,
      label: row.label,
      category: (row.category as LossCategory | null) ?? null,
      treeVersion: row.treeVersion,
      comment: row.comment,
      by: row.enteredBy,
      at: new Date(row.enteredAt).toISOString(),
    };
  });
}

const stopKey = (machine: string, start: number) => `${machine}@${new Date(start).toISOString()}`;
const summary = (rows: readonly repo.SegmentRow[]) => rows.map((r) => ({ from: new Date(r.segmentStart).toISOString(), reason: r.label ?? r.reasonId, comment: r.comment }));

/**
 * Sets the reasons of the stop of `machine` starting at `stopStart` (a stored gap): one segment per
 * reason, the first at the stop's start, each later one inside the stop. An empty list clears them.
 */
export async function setStopReasons(
  db: Db,
  who: Who,
  zone: string,
  machine: string,
  stopStart: number,
  segments: readonly SegmentInput[],
  now = Date.now(),
  field = 'body.segments',
): Promise<SegmentView[]> {
  const stored = await plantRepo.getMachine(db, machine);
  if (!stored) throw new NotFound('machine', machine);
  return db.transaction().execute(async (trx) => {
    const gap = await derivedRepo.gapExists(trx, machine, stopStart);
    if (!gap) throw new NotFound('stop', stopKey(machine, stopStart));
    await assertInstantOpen(trx, zone, machine, gap.start);
    const before = (await repo.segmentsOfStops(trx, machine, [stopStart])).get(stopStart) ?? [];
    const offered = segments.length > 0 ? await ensureStoredTree(trx, who, stored.group, now) : await currentTree(trx, stored.group);
    const rows: repo.SegmentRow[] = [];
    segments.forEach((segment, i) => {
      // the one-reason body (PUT /api/stops/:machine/:start) names its fields body.reason, not body.0.reason
      const path = field === 'body' && segments.length === 1 ? field : `${field}.${i}`;
      const start = i === 0 ? (segment.start ?? gap.start) : segment.start;
      if (start === undefined) throw Invalid.field(`${path}.start`, 'say when this part of the stop began');
      if (i === 0 && start !== gap.start) throw Invalid.field(`${path}.start`, `the first reason covers the stop from its start (${new Date(gap.start).toISOString()})`);
      if (i > 0 && !(start > rows[i - 1].segmentStart && start < gap.end)) {
        throw Invalid.field(`${path}.start`, `must lie inside the stop (${new Date(gap.start).toISOString()} – ${new Date(gap.end).toISOString()}) and after the part before it`);
      }
      const kept = before.find((b) => b.segmentStart === start && b.reasonId === segment.reason);
      const leaf = leafOf(offered.tree, segment.reason);
      if (!leaf && !kept) throw Invalid.field(`${path}.reason`, `'${segment.reason}' is not a reason of ${stored.group}'s tree`);
      if (leaf && leaf.retired && !kept) throw Invalid.field(`${path}.reason`, `'${pathLabel(leaf.path)}' is retired: choose a current reason`);
      if (leaf && !isStopCategory(leaf.category) && !kept) throw Invalid.field(`${path}.reason`, `'${pathLabel(leaf.path)}' is a scrap reason, not a reason for a stop`);
      const comment = segment.comment?.trim() ? segment.comment.trim() : null;
      rows.push(
        kept && (!leaf || kept.treeVersion !== null)
          ? { ...kept, stopEnd: gap.end, comment, enteredBy: kept.comment === comment ? kept.enteredBy : who.actor, enteredAt: kept.comment === comment ? kept.enteredAt : now }
          : {
              machine, stopStart: gap.start, segmentStart: start, stopEnd: gap.end, reasonId: segment.reason, treeVersion: offered.version,
              category: leaf?.category ?? null, label: leaf ? pathLabel(leaf.path) : segment.reason, comment, enteredBy: who.actor, enteredAt: now,
            },
      );
    });
    // overriding a reason somebody gave (a different reason, or a reason taken away) needs a justification
    const overridden = before.filter((b) => b.reasonId !== null && !rows.some((r) => r.segmentStart === b.segmentStart && r.reasonId === b.reasonId));
    const justification = overridden.length > 0
      ? requireReason(who, `changing the reason ${overridden.map((o) => `'${o.label ?? o.reasonId}' (given by ${o.enteredBy})`).join(', ')}`, 'body.changeReason')
      : who.reason;
    await repo.replaceSegments(trx, machine, gap.start, rows);
    await appendAudit(
      trx,
      {
        ...who,
        reason: justification,
        entity: 'stop',
        entityKey: stopKey(machine, gap.start),
        action: before.length === 0 ? 'reason' : overridden.length > 0 ? 'reason-override' : 'reason-update',
        before: before.length > 0 ? { reasons: summary(before) } : null,
        after: { reasons: summary(rows) },
      },
      now,
    );
    return segmentViews(rows);
  });
}

/** Segments of some stops of a machine, by stop start (for stop lists). */
export async function segmentsOf(db: Executor, machine: string, starts: readonly number[]): Promise<Map<number, SegmentView[]>> {
  const rows = await repo.segmentsOfStops(db, machine, starts);
  return new Map([...rows].map(([start, list]) => [start, segmentViews(list)]));
}
