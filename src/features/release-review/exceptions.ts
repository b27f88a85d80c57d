// Review by exception (issue 16 item 4): the audit-trail items of a lot that a reviewer has to look
// at before its QC release — changes after original entry, overridden stop reasons, reopened shift
// reports, reported counts far from what the camera counted, signatures the record no longer
// matches, and late entries — read through the features that own the data, over the lot's run (each
// operation up to the gate, on its machine, from its actual start to its actual end or now).
import type { Executor } from '../../db/database.js';
import { listAudit, type AuditEntry } from '../audit/repository.js';
import { describeChange, formatInstantWithZone, type DescribeContext } from '../audit/describe.js';
import * as authRepo from '../auth/repository.js';
import { viewSignatures, type SignedContentReaders } from '../auth/signatures.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { cameraProduced } from '../operator-input/reconcile.js';
import * as operatorRepo from '../operator-input/repository.js';
import { SHIFT_LOG_ENTITY, shiftLogKey } from '../operator-input/shift-log.js';
import * as ordersRepo from '../orders/repository.js';
import * as plantRepo from '../plant/repository.js';
import { operationId } from '../../core/schedule/index.js';
import type { ReviewItem } from './schemas.js';

export interface ReviewSettings {
  /** share of the camera's count a reported count may differ by before it is an item (0.02 = 2 %) */
  countTolerance: number;
  /** an entry made more than this many hours after what it reports is a late entry */
  lateHours: number;
}

export interface ReviewScope {
  db: Executor;
  readers: SignedContentReaders;
  zone: string;
  settings: ReviewSettings;
  now: number;
}

interface RunWindow {
  step: number;
  machine: string;
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const auditLink = (entity: string, key: string) => `/audit?entity=${encodeURIComponent(entity)}&key=${encodeURIComponent(key)}`;
const shiftLink = (machine: string, shiftStart: number) => `/reports/shift/${encodeURIComponent(machine)}/${shiftStart}`;

/** "line7@2022-10-13T13:30:00.000Z" (stop and shift-log keys) → machine and instant. */
function parseAtKey(key: string): { machine: string; at: number } | null {
  const at = key.lastIndexOf('@');
  const instant = at > 0 ? Date.parse(key.slice(at + 1)) : Number.NaN;
  return Number.isFinite(instant) ? { machine: key.slice(0, at), at: instant } : null;
}

const inWindow = (windows: readonly RunWindow[], machine: string, at: number) => windows.some((w) => w.machine === machine && at >= w.from && at <= w.to);
const overlaps = (windows: readonly RunWindow[], machine: string, from: number, to: number) => windows.some((w) => w.machine === machine && from < w.to && to > w.from);

/** The items of the gate after `step` of `lot`, oldest first. */
export async function findReviewItems(scope: ReviewScope, lot: string, step: number): Promise<ReviewItem[]> {
  const { db, zone, settings, now } = scope;
  const machines = await plantRepo.listMachines(db);
  const ctx: DescribeContext = { zone, machineNames: new Map(machines.map((m) => [m.key, m.name])), productNames: new Map((await plantRepo.listProducts(db)).map((p) => [p.key, p.name])) };
  const machineName = (key: string) => ctx.machineNames?.get(key) ?? key;
  const when = (ms: number) => formatInstantWithZone(ms, zone);
  const ops = (await ordersRepo.listOperations(db, [lot])).filter((o) => o.step <= step);
  const windows: RunWindow[] = ops
    .filter((o) => o.machine_key !== null && o.actual_start !== null)
    .map((o) => ({ step: o.step, machine: o.machine_key as string, from: Number(o.actual_start), to: o.actual_end === null ? now : Number(o.actual_end) }));
  const items: ReviewItem[] = [];
  const fromAudit = (e: AuditEntry, kind: ReviewItem['kind'], what: string, link: string): ReviewItem => ({ id: `audit:${e.id}`, kind, what, who: e.actor, when: iso(e.at), link });
  const why = (e: AuditEntry) => (e.reason ? ` — reason: ${e.reason}` : '');

  // changes after original entry: edits of the work order, corrections of counts already reported
  const orderEntries = (await listAudit(db, { entity: 'work-order', entityKey: lot, limit: 10_000 })).reverse();
  const countEntries = new Map<number, AuditEntry[]>();
  for (const e of orderEntries) {
    if (e.action === 'update') {
      items.push(fromAudit(e, 'changed-after-entry', `Work order ${lot} changed after it was entered: ${describeChange(e, ctx).join('; ')}${why(e)}`, auditLink('work-order', lot)));
    } else if (e.action === 'counts') {
      const before = (e.before ?? {}) as { step?: number; produced?: number };
      const after = (e.after ?? {}) as { step?: number; produced?: number; good?: number; scrap?: number };
      if (after.step === undefined || after.step > step) continue;
      countEntries.set(after.step, [...(countEntries.get(after.step) ?? []), e]);
      if ((before.produced ?? 0) > 0 && before.produced !== after.produced) {
        items.push(fromAudit(e, 'changed-after-entry', `Counts of step ${after.step + 1} corrected: produced ${before.produced} → ${after.produced}${why(e)}`, auditLink('work-order', lot)));
      }
    }
  }

  // reported counts against what the camera counted for the lot on its machine
  for (const op of ops) {
    const reports = countEntries.get(op.step);
    if (!reports || op.machine_key === null) continue;
    const [camera] = await derivedRepo.getLotCounts(db, op.machine_key, [lot]);
    if (!camera || camera.produced <= 0) continue;
    const difference = Math.abs(op.produced - camera.produced) / camera.produced;
    if (difference <= settings.countTolerance) continue;
    const last = reports[reports.length - 1];
    items.push({
      id: `count:${operationId({ lot, step: op.step })}:${op.produced}:${camera.produced}`,
      kind: 'count-mismatch',
      what: `Step ${op.step + 1} on ${machineName(op.machine_key)}: reported ${op.produced} units, the camera counted ${camera.produced} (${percent(difference)} apart, more than ${percent(settings.countTolerance)})`,
      who: last.actor,
      when: iso(last.at),
      link: auditLink('work-order', lot),
    });
  }

  if (windows.length > 0) {
    const earliest = Math.min(...windows.map((w) => w.from));
    // overridden stop reasons of stops while the lot ran (an override is entered after its stop)
    for (const e of await listAudit(db, { entity: 'stop', from: earliest, limit: 10_000 })) {
      const stop = parseAtKey(e.entityKey);
      if (e.action !== 'reason-override' || !stop || !inWindow(windows, stop.machine, stop.at)) continue;
      items.push(fromAudit(e, 'reason-override', `Reason of the stop on ${machineName(stop.machine)} at ${when(stop.at)} overridden: ${describeChange(e, ctx).join('; ')}${why(e)}`, auditLink('stop', e.entityKey)));
    }

    for (const machine of new Set(windows.map((w) => w.machine))) {
      const own = windows.filter((w) => w.machine === machine);
      const from = Math.min(...own.map((w) => w.from));
      const to = Math.max(...own.map((w) => w.to));
      // shift reports covering the run: a shift may start up to a day before the run does
      const logs = (await operatorRepo.shiftLogsBetween(db, [machine], from - 24 * HOUR, to)).filter((log) => overlaps(own, machine, log.shiftStart, log.shiftEnd));
      for (const log of logs) {
        const key = shiftLogKey(machine, log.shiftStart);
        const label = `${machineName(machine)} for the shift of ${when(log.shiftStart)}`;
        for (const e of await listAudit(db, { entity: SHIFT_LOG_ENTITY, entityKey: key, limit: 1000 })) {
          if (e.action === 'reopen') items.push(fromAudit(e, 'reopened-shift-report', `Shift report of ${label} reopened after signing${why(e)}`, shiftLink(machine, log.shiftStart)));
        }
        if (log.reportedCount !== null && log.submittedAt !== null) {
          const camera = await cameraProduced(db, machine, { start: log.shiftStart, end: log.shiftEnd, label: '' });
          const difference = camera > 0 ? Math.abs(log.reportedCount - camera) / camera : log.reportedCount > 0 ? Number.POSITIVE_INFINITY : 0;
          if (difference > settings.countTolerance) {
            items.push({
              id: `count:${key}:${log.reportedCount}:${camera}`,
              kind: 'count-mismatch',
              what: `Shift report of ${label}: reported ${log.reportedCount} units, the camera counted ${camera}${camera > 0 ? ` (${percent(difference)} apart, more than ${percent(settings.countTolerance)})` : ''}`,
              who: log.submittedBy ?? 'unknown',
              when: iso(log.submittedAt),
              link: shiftLink(machine, log.shiftStart),
            });
          }
        }
        if (log.submittedAt !== null && log.submittedAt - log.shiftEnd > settings.lateHours * HOUR) {
          items.push({
            id: `late:${key}:${log.submittedAt}`,
            kind: 'late-entry',
            what: `Shift report of ${label} submitted ${Math.round((log.submittedAt - log.shiftEnd) / HOUR)} h after the shift ended`,
            who: log.submittedBy ?? 'unknown',
            when: iso(log.submittedAt),
            link: shiftLink(machine, log.shiftStart),
          });
        }
      }
      // late entries: stop reasons given long after their stop ended, scrap of the lot entered long after it happened
      for (const segment of await operatorRepo.segmentsOverlapping(db, [machine], from, to)) {
        if (!inWindow(own, machine, segment.stopStart) || segment.reasonId === null || segment.enteredAt - segment.stopEnd <= settings.lateHours * HOUR) continue;
        items.push({
          id: `late:stop:${machine}@${iso(segment.segmentStart)}:${segment.enteredAt}`,
          kind: 'late-entry',
          what: `Reason '${segment.label ?? segment.reasonId}' of the stop on ${machineName(machine)} at ${when(segment.segmentStart)} entered ${Math.round((segment.enteredAt - segment.stopEnd) / HOUR)} h after the stop ended`,
          who: segment.enteredBy,
          when: iso(segment.enteredAt),
          link: auditLink('stop', `${machine}@${iso(segment.stopStart)}`),
        });
      }
      for (const scrap of await operatorRepo.scrapBetween(db, [machine], from - 24 * HOUR, to)) {
        if (scrap.lot !== lot || scrap.enteredAt - scrap.at <= settings.lateHours * HOUR) continue;
        items.push({
          id: `late:scrap:${scrap.id}`,
          kind: 'late-entry',
          what: `Scrap of ${scrap.quantity} (${scrap.label}) on ${machineName(machine)} at ${when(scrap.at)} entered ${Math.round((scrap.enteredAt - scrap.at) / HOUR)} h later`,
          who: scrap.enteredBy,
          when: iso(scrap.enteredAt),
          link: shiftLink(machine, scrap.shiftStart),
        });
      }
    }
  }

  // signatures of the lot (and of the shift reports of its run) that the record no longer matches
  const shiftKeys: string[] = [];
  for (const machine of new Set(windows.map((w) => w.machine))) {
    const own = windows.filter((w) => w.machine === machine);
    const logs = await operatorRepo.shiftLogsBetween(db, [machine], Math.min(...own.map((w) => w.from)) - 24 * HOUR, Math.max(...own.map((w) => w.to)));
    shiftKeys.push(...logs.filter((log) => overlaps(own, machine, log.shiftStart, log.shiftEnd)).map((log) => shiftLogKey(machine, log.shiftStart)));
  }
  const rows = [
    ...(await authRepo.listSignatures(db, { entity: 'work-order', entityKeys: [lot] })),
    ...(await authRepo.listSignatures(db, { entity: 'operation-gate', entityKeys: ops.map((o) => operationId({ lot, step: o.step })) })),
    ...(await authRepo.listSignatures(db, { entity: SHIFT_LOG_ENTITY, entityKeys: shiftKeys })),
  ];
  for (const view of await viewSignatures(scope.readers, db, rows)) {
    if (view.valid) continue;
    items.push({
      id: `signature:${view.id}`,
      kind: 'invalid-signature',
      what: `Signature '${view.meaning}' of ${view.printedName} for ${view.action} (${view.entity} ${view.entityKey}) is no longer valid: ${view.invalidReason}`,
      who: view.username,
      when: view.signedAt,
      link: view.entity === SHIFT_LOG_ENTITY ? auditLink(SHIFT_LOG_ENTITY, view.entityKey) : auditLink('work-order', lot),
    });
  }
  return items.sort((a, b) => (a.when < b.when ? -1 : a.when > b.when ? 1 : a.id < b.id ? -1 : 1));
}
