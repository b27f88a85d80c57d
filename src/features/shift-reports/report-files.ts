// The shift and weekly reports as .xlsx workbooks and as the plain text of the shift-end mail.
import { tablesToXlsx, type ExportTable } from '../../shared/table-export.js';
import { LOSS_LABELS } from '../../core/losses/index.js';
import type { ShiftReport, WeekReport } from './report-schemas.js';

const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
const hours = (seconds: number) => Math.round((seconds / 3600) * 100) / 100;
const text = (header: string, width = 24) => ({ header, kind: 'text' as const, width });
const number = (header: string, width = 14) => ({ header, kind: 'integer' as const, width });

function lossSheets(losses: ShiftReport['losses']): { name: string; table: ExportTable }[] {
  return [
    { name: 'Losses', table: { columns: [text('Step', 34), text('Kind', 10), text('Category', 30), number('Hours')], rows: losses.steps.map((s) => [s.label, s.kind, s.category ? LOSS_LABELS[s.category] : '', hours(s.seconds)]) } },
    {
      name: 'Reasons',
      table: {
        columns: [text('Category', 30), text('Reason', 44), number('Hours'), number('Stops / entries'), text('Share of category', 18)],
        rows: losses.pareto.flatMap((c) => c.reasons.map((r) => [c.label, r.label, hours(r.seconds), r.count, percent(r.share)])),
      },
    },
  ];
}

export async function shiftReportXlsx(report: ShiftReport, zone: string): Promise<Buffer> {
  const t = report.totals;
  const summary: ExportTable = {
    columns: [text('Figure', 32), text('Value', 40)],
    rows: [
      ['Machine', `${report.machine.name} (${report.machine.key})`], ['Shift', report.shift.label], ['Report', report.log.state], ['OEE profile', report.profile],
      ['Parts', String(t.parts)], ['Good', String(t.good)], ['Reworks', String(t.reworks)], ['Rejects (scrap)', String(t.rejects)],
      ['Availability', percent(t.availability)], ['Performance', percent(t.performance)], ['Quality', percent(t.quality)], ['OEE', percent(t.oee)],
      ['TEEP', percent(report.losses.teep)], ['Utilisation', percent(report.losses.utilisation)], ['Labour utilisation', percent(report.losses.labourUtilisation)],
      ['Counted by the operator', report.reconciliation.reported === null ? '—' : String(report.reconciliation.reported)], ['Produced per the camera', String(report.reconciliation.camera)],
      ['Crew', `${report.log.headCount} people, ${report.log.crewHours} h`], ['Notes', report.log.notes ?? ''], ['Open issues for the next shift', report.log.openIssues ?? ''],
      ...report.manifestations.map((m, i) => [`Signature ${i + 1}`, m]),
    ],
  };
  return tablesToXlsx(
    [
      { name: 'Summary', table: summary },
      ...lossSheets(report.losses),
      {
        name: 'Stops',
        table: { columns: [{ header: 'Start', kind: 'timestamp', width: 20 }, number('Minutes'), text('Reason', 44), text('Category', 30), text('Comment', 40), text('Given by', 16)], rows: report.stops.map((s) => [s.start, Math.round((s.seconds / 60) * 10) / 10, s.reason ?? '', s.category ? LOSS_LABELS[s.category] : '', s.comment ?? '', s.by ?? '']) },
      },
      { name: 'Scrap', table: { columns: [text('Lot', 12), text('Reason', 44), number('Scrapped'), number('Reworked'), text('Comment', 40), text('Entered by', 16)], rows: report.log.scrap.map((s) => [s.lot, s.label, s.quantity, s.rework, s.comment ?? '', s.by]) } },
      { name: 'Crew', table: { columns: [text('Person', 30), number('Hours')], rows: report.log.crew.map((c) => [c.person, c.hours]) } },
    ],
    zone,
  );
}

export async function weekReportXlsx(report: WeekReport, zone: string): Promise<Buffer> {
  return tablesToXlsx(
    [
      {
        name: 'Machines',
        table: {
          columns: [text('Machine', 14), number('Parts'), number('Good'), text('Availability', 14), text('Performance', 14), text('Quality', 12), text('OEE', 10), text('TEEP', 10), text('Labour utilisation', 18), number('Paid crew hours')],
          rows: report.machines.map((m) => {
            const l = report.losses.machines.find((x) => x.machine === m.machine)!;
            return [m.machine, m.totals.parts, m.totals.good, percent(m.totals.availability), percent(m.totals.performance), percent(m.totals.quality), percent(m.totals.oee), percent(l.teep), percent(l.labourUtilisation), l.paidCrewHours];
          }),
        },
      },
      ...lossSheets({ ...report.losses.total, machine: '', profile: '' }),
      {
        name: 'Shifts',
        table: {
          columns: [text('Machine', 12), text('Shift', 26), text('Report', 10), text('Signed by', 16), number('Crew'), number('Crew hours'), number('Scrapped'), number('Reworked'), { ...text('Notes', 50), wrap: true }],
          rows: report.shifts.map((s) => [s.machine, s.shift, s.state, s.signedBy ?? '', s.headCount, s.crewHours, s.scrap, s.rework, s.notes ?? '']),
        },
      },
    ],
    zone,
  );
}

/** The text of the shift-end mail: the figures a lead reads first, and where to open the report. */
export function shiftReportMail(report: ShiftReport, link: string): { subject: string; body: string } {
  const t = report.totals;
  const top = report.losses.pareto.filter((c) => !['notScheduled'].includes(c.category)).slice(0, 3);
  const lines = [
    `${report.machine.name} — shift ${report.shift.label}`,
    '',
    `OEE ${percent(t.oee)} (availability ${percent(t.availability)}, performance ${percent(t.performance)}, quality ${percent(t.quality)})`,
    `Parts ${t.parts.toLocaleString('en-US')}, good ${t.good.toLocaleString('en-US')}, scrap ${t.rejects.toLocaleString('en-US')}`,
    `Crew ${report.log.headCount} people, ${report.log.crewHours} h · report ${report.log.state}`,
    '',
    'Largest losses:',
    ...top.map((c) => `  ${c.label}: ${hours(c.seconds)} h${c.reasons[0] ? ` (most: ${c.reasons[0].label})` : ''}`),
    ...(report.log.notes ? ['', `Notes: ${report.log.notes}`] : []),
    ...(report.log.openIssues ? [`Open issues: ${report.log.openIssues}`] : []),
    '',
    `Open the report: ${link}`,
  ];
  return { subject: `[qmfg] Shift report ${report.machine.name} ${report.shift.label}: OEE ${percent(t.oee)}`, body: lines.join('\n') };
}
