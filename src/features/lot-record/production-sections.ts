// Sections of what was made: operations with their counts (camera vs recorded), the OEE of the lot's
// runs, the stops while it ran with their reasons, changeovers, scrap and the operators' shift reports.
import type { AuditEntry } from '../audit/repository.js';
import { machinesOee } from '../oee/service.js';
import type { MachineOee } from '../oee/schemas.js';
import { SHIFT_LOG_ENTITY, shiftLogKey } from '../operator-input/shift-log.js';
import type { Cell } from './schemas.js';
import { localTime, machineLabel, percent, seconds } from './basis.js';
import { lotAudit, lotScrap, lotShiftLogs, lotStops, stopKey, type RunStops } from './readers.js';
import { defineSection, table } from './section.js';

const MS_PER_MINUTE = 60_000;

/** "reason changed after entry: …" when a stop's reason was changed or overridden after it was first given */
function reasonChange(entries: readonly AuditEntry[], zone: string): string | null {
  const later = entries.slice(1);
  if (later.length === 0 && !entries.some((e) => e.action === 'reason-override' || e.action === 'reason-update')) return null;
  const last = entries[entries.length - 1];
  const reasonsOf = (value: unknown) => ((value as { reasons?: { reason: string | null }[] } | null)?.reasons ?? []).map((r) => r.reason ?? '—').join(' + ') || '—';
  return `reason changed after entry (${later.length} change${later.length === 1 ? '' : 's'}): ${reasonsOf(last.before)} → ${reasonsOf(last.after)} by ${last.actor} at ${localTime(last.at, zone)}${last.reason ? ` — ${last.reason}` : ''}`;
}

export const operationsSection = defineSection({
  key: 'operations',
  title: 'Operations',
  read: async (ctx, basis) => ({ scrap: await lotScrap(ctx, basis), audit: await lotAudit(ctx, basis) }),
  build: ({ scrap, audit }, basis) => {
    const rows = basis.operations.map((op): Cell[] => {
      const run = basis.runs.find((r) => r.step === op.step);
      const operatorScrap = scrap.filter((s) => s.lot === basis.lot && s.machine === op.machine_key).reduce((sum, s) => sum + s.quantity, 0);
      const counted = audit.filter((e) => e.entity === 'work-order' && e.action === 'counts' && (e.after as { step?: number } | null)?.step === op.step);
      const routing = basis.product?.routing[op.step];
      return [
        op.step + 1, routing?.group ?? null, machineLabel(basis, op.machine_key), op.state, localTime(op.actual_start, basis.zone), localTime(op.actual_end, basis.zone),
        run?.sensorParts ?? null, run?.sensorReworks ?? null, op.produced, op.good, op.scrap, operatorScrap,
        counted.length > 1 ? `counts reported ${counted.length} times (last by ${counted[counted.length - 1].actor} at ${localTime(counted[counted.length - 1].at, basis.zone)})` : null,
      ];
    });
    return {
      facts: [],
      tables: [
        table('operations', 'Operations', [
          ['step', 'Step', 'number'], ['group', 'Process group', 'text'], ['machine', 'Machine', 'text'], ['state', 'State', 'text'], ['start', 'Actual start', 'time'], ['end', 'Actual end', 'time'],
          ['sensorParts', 'Parts (camera)', 'number'], ['sensorReworks', 'Reworks (camera)', 'number'], ['produced', 'Produced (recorded)', 'number'], ['good', 'Good (recorded)', 'number'],
          ['scrap', 'Scrap (recorded)', 'number'], ['operatorScrap', 'Scrap (operator reports)', 'number'], ['changed', 'Changed after entry', 'flag'],
        ], rows),
      ],
    };
  },
});

export const oeeSection = defineSection({
  key: 'oee',
  title: 'OEE of the lot',
  read: async (ctx, basis) => {
    const results: { step: number; machine: string; from: number; to: number; oee: MachineOee }[] = [];
    for (const run of basis.runs) {
      // the OEE engine answers whole minutes: the minutes the lot's run touches
      const from = Math.floor(run.from / MS_PER_MINUTE) * MS_PER_MINUTE;
      const to = Math.ceil((run.to + 1) / MS_PER_MINUTE) * MS_PER_MINUTE;
      const answer = await machinesOee(ctx.db, ctx.zone, { machines: [run.machine], from, to }, ctx.now);
      results.push({ step: run.step, machine: run.machine, from, to, oee: answer.machines[0] });
    }
    return results;
  },
  build: (results, basis) => ({
    facts: [],
    tables: [
      table('oee', 'OEE over the lot\'s run windows', [
        ['step', 'Step', 'number'], ['machine', 'Machine', 'text'], ['from', 'From', 'time'], ['to', 'To', 'time'], ['profile', 'Profile', 'text'], ['parts', 'Parts', 'number'],
        ['stops', 'Stops', 'number'], ['stopSeconds', 'Stop time (s)', 'number'], ['availability', 'A (%)', 'number'], ['performance', 'P (%)', 'number'], ['quality', 'Q (%)', 'number'], ['oee', 'OEE (%)', 'number'],
      ], results.map(({ step, machine, from, to, oee }) => [
        step + 1, machineLabel(basis, machine), localTime(from, basis.zone), localTime(to, basis.zone), oee.profile, oee.totals.parts, oee.totals.stops.count, seconds(oee.totals.stops.seconds),
        percent(oee.totals.availability), percent(oee.totals.performance), percent(oee.totals.quality), percent(oee.totals.oee),
      ])),
    ],
  }),
});

export const stopsSection = defineSection({
  key: 'stops',
  title: 'Stops while the lot ran',
  read: async (ctx, basis) => ({ runs: await lotStops(ctx, basis), audit: await lotAudit(ctx, basis) }),
  build: ({ runs, audit }, basis) => {
    const byStop = new Map<string, AuditEntry[]>();
    for (const entry of audit) if (entry.entity === 'stop') byStop.set(entry.entityKey, [...(byStop.get(entry.entityKey) ?? []), entry]);
    const rows = runs.flatMap(({ run, stops }) => stops.map((s): Cell[] => [
      run.step + 1, machineLabel(basis, run.machine), localTime(s.startMs, basis.zone), localTime(s.endMs, basis.zone), seconds(s.seconds), s.classLabel,
      s.label ?? s.reason, s.category, s.comment, s.reasonBy ?? (s.automatic ? 'automatic' : null), s.segments[0] ? localTime(Date.parse(s.segments[0].at), basis.zone) : null,
      reasonChange(byStop.get(stopKey(run.machine, s.startMs)) ?? [], basis.zone),
    ]));
    const truncated = runs.filter((r) => r.truncated).map((r) => `step ${r.run.step + 1}`);
    return {
      facts: [
        { label: 'Stops', value: rows.length },
        { label: 'Stop time (s)', value: seconds(runs.reduce((sum, r) => sum + r.stops.reduce((t, s) => t + s.countedSeconds, 0), 0)) },
        ...(truncated.length > 0 ? [{ label: 'List cut short', value: `more stops than listed on ${truncated.join(', ')}` }] : []),
      ],
      tables: [
        table('stops', 'Stops', [
          ['step', 'Step', 'number'], ['machine', 'Machine', 'text'], ['start', 'Start', 'time'], ['end', 'End', 'time'], ['seconds', 'Duration (s)', 'number'], ['class', 'Class', 'text'],
          ['reason', 'Reason', 'text'], ['category', 'Loss category', 'text'], ['comment', 'Comment', 'text'], ['by', 'Given by', 'text'], ['at', 'Given at', 'time'], ['changed', 'Changed after entry', 'flag'],
        ], rows),
      ],
    };
  },
});

export const changeoverSection = defineSection({
  key: 'changeovers',
  title: 'Changeovers',
  read: (ctx, basis) => lotStops(ctx, basis),
  build: (runs: RunStops[], basis) => ({
    facts: [],
    tables: [
      table('changeovers', 'Changeovers and setup', [
        ['step', 'Step', 'number'], ['machine', 'Machine', 'text'], ['setupMinutes', 'Routing setup (min)', 'number'], ['plannedMinutes', 'Planned family changeover (min)', 'number'],
        ['setupStops', 'Setup stops', 'number'], ['setupSeconds', 'Setup stop time (s)', 'number'],
      ], basis.operations.filter((op) => op.machine_key).map((op) => {
        const stops = runs.find((r) => r.run.step === op.step)?.stops.filter((s) => s.category === 'setup') ?? [];
        return [op.step + 1, machineLabel(basis, op.machine_key), basis.product?.routing[op.step]?.setupMinutes ?? null, op.forecast_changeover_minutes, stops.length, seconds(stops.reduce((t, s) => t + s.seconds, 0))];
      })),
    ],
  }),
});

export const scrapSection = defineSection({
  key: 'scrap',
  title: 'Scrap',
  read: (ctx, basis) => lotScrap(ctx, basis),
  build: (rows, basis) => ({
    facts: [{ label: 'Scrap units', value: rows.reduce((sum, s) => sum + s.quantity, 0) }, { label: 'Of them reworked', value: rows.reduce((sum, s) => sum + s.rework, 0) }],
    tables: [
      table('scrap', 'Scrap entries', [
        ['machine', 'Machine', 'text'], ['at', 'Counts at', 'time'], ['reason', 'Reason', 'text'], ['category', 'Category', 'text'], ['quantity', 'Quantity', 'number'], ['rework', 'Reworked', 'number'],
        ['comment', 'Comment', 'text'], ['by', 'Entered by', 'text'], ['enteredAt', 'Entered at', 'time'],
      ], rows.map((s) => [machineLabel(basis, s.machine), localTime(s.at, basis.zone), s.label, s.category, s.quantity, s.rework, s.comment, s.enteredBy, localTime(s.enteredAt, basis.zone)])),
    ],
  }),
});

export const shiftReportSection = defineSection({
  key: 'shift-reports',
  title: 'Operator shift reports',
  read: async (ctx, basis) => ({ logs: await lotShiftLogs(ctx, basis), audit: await lotAudit(ctx, basis) }),
  build: ({ logs, audit }, basis) => ({
    facts: [],
    tables: [
      table('shift-reports', 'Shift reports of the lot\'s machines', [
        ['machine', 'Machine', 'text'], ['start', 'Shift start', 'time'], ['end', 'Shift end', 'time'], ['state', 'State', 'text'], ['reported', 'Units reported', 'number'],
        ['submittedBy', 'Submitted by', 'text'], ['submittedAt', 'Submitted at', 'time'], ['signedBy', 'Signed by', 'text'], ['signedAt', 'Signed at', 'time'], ['changed', 'Changed after entry', 'flag'],
      ], logs.map((log) => {
        const key = shiftLogKey(log.machine, log.shiftStart);
        const reopened = audit.filter((e) => e.entity === SHIFT_LOG_ENTITY && e.entityKey === key && e.action === 'reopen');
        const flag = log.reopenedAt !== null || reopened.length > 0
          ? `reopened after signing by ${log.reopenedBy ?? reopened[0]?.actor} at ${localTime(log.reopenedAt ?? reopened[0]?.at, basis.zone)}${log.reopenReason ? ` — ${log.reopenReason}` : ''}`
          : null;
        return [machineLabel(basis, log.machine), localTime(log.shiftStart, basis.zone), localTime(log.shiftEnd, basis.zone), log.state, log.reportedCount, log.submittedBy, localTime(log.submittedAt, basis.zone), log.signedBy, localTime(log.signedAt, basis.zone), flag];
      })),
    ],
  }),
});
