// Downloads of the view: every table as CSV, and the whole view as an .xlsx workbook with the
// sheets the plant's reports have (stats, stops, productivity). Built in the browser: ExcelJS is
// loaded only when someone exports, so it costs the dashboard nothing until then.
import type { OeeResult, Stop } from '../../api/analytics.js';
import { plainWarnings } from './warnings.js';
import { EXCEL_DATE_TIME, excelLocalDate, formatStopClass } from './format.js';

/** A table column: how a row becomes a cell, for the screen, CSV and the workbook alike. */
export interface Column<Row> {
  key: string;
  header: string;
  /** the raw value: a number stays a number in CSV and Excel */
  value: (row: Row) => string | number | null;
  numeric?: boolean;
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF line ends. */
export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const field = (value: string | number | null) => {
    if (value === null) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((c) => field(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => field(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has started by now; revoking later keeps slow browsers from losing it
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv<Row>(fileName: string, columns: readonly Column<Row>[], rows: readonly Row[]): void {
  // the byte-order mark makes Excel read the file as UTF-8 (en dashes, "≥")
  downloadBlob(fileName, new Blob(['\uFEFF', toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }));
}

/** "line7-2022-10-11" style file-name part from machine keys and the window start. */
export function fileStem(machines: readonly string[], label: string): string {
  const machinePart = machines.length > 3 ? `${machines.length}-machines` : machines.join('-');
  return `${machinePart}-${label}`.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

export interface WorkbookMachine {
  key: string;
  name: string;
  totals: OeeResult;
  series: readonly OeeResult[];
  stops: readonly Stop[];
}

interface StatRow {
  label: string;
  value: (r: OeeResult) => string | number | null;
  /** Excel number format */
  format?: string;
}

const PERCENT = '0.0%';
const STAT_ROWS: StatRow[] = [
  { label: 'Profile', value: (r) => r.profile },
  { label: 'Cycles', value: (r) => r.cycles, format: '#,##0' },
  { label: 'Parts', value: (r) => r.parts, format: '#,##0' },
  { label: 'Empty cycles', value: (r) => r.emptyCycles, format: '#,##0' },
  { label: 'Empty rate', value: (r) => r.emptyRate, format: PERCENT },
  { label: 'Reworks', value: (r) => r.reworks, format: '#,##0' },
  { label: 'Rework rate', value: (r) => r.reworkRate, format: PERCENT },
  { label: 'Rejects', value: (r) => r.rejects, format: '#,##0' },
  { label: 'Loading time (h)', value: (r) => r.loadingSeconds / 3600, format: '0.00' },
  { label: 'Availability loss (h)', value: (r) => r.availabilityLossSeconds / 3600, format: '0.00' },
  { label: 'Net run time (h)', value: (r) => r.netRunSeconds / 3600, format: '0.00' },
  { label: 'Run time (h)', value: (r) => r.runSeconds / 3600, format: '0.00' },
  { label: 'Availability', value: (r) => r.availability, format: PERCENT },
  { label: 'Performance', value: (r) => r.performance, format: PERCENT },
  { label: 'Quality', value: (r) => r.quality, format: PERCENT },
  { label: 'OEE', value: (r) => r.oee, format: PERCENT },
  { label: 'Stops', value: (r) => r.stops.count, format: '#,##0' },
  { label: 'Stop time (min)', value: (r) => r.stops.seconds / 60, format: '0.0' },
  { label: 'MTBF (min)', value: (r) => (r.mtbfSeconds === null ? null : r.mtbfSeconds / 60), format: '0.0' },
  { label: 'MTTR (min)', value: (r) => (r.mttrSeconds === null ? null : r.mttrSeconds / 60), format: '0.0' },
  { label: 'Average rate while running (/min)', value: (r) => r.averageRatePerMinute, format: '0.0' },
  { label: 'Effective rate (/min)', value: (r) => r.effectiveRatePerMinute, format: '0.0' },
];

/**
 * The view as a workbook. stats: one column per machine (the figures, then stops per duration
 * class); stops: every listed stop with its reason; productivity: one row per machine and period.
 * Instants are Excel dates (a date-time number format) showing the plant-local wall clock.
 */
export async function buildWorkbook(input: {
  machines: readonly WorkbookMachine[];
  zone: string;
  windowLabel: string;
  from: number;
  to: number;
  stopMinSeconds: number;
}): Promise<Blob> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'qmfg';
  workbook.created = new Date(input.to);
  const { machines, zone } = input;

  const stats = workbook.addWorksheet('stats', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  stats.columns = [{ header: 'Figure', key: 'label', width: 34 }, ...machines.map((m) => ({ header: m.name, key: m.key, width: 18 }))];
  const header = stats.getRow(1);
  header.font = { bold: true };
  const addStat = (label: string, values: (string | number | Date | null)[], format?: string) => {
    const row = stats.addRow([label, ...values]);
    if (format) for (let c = 2; c <= machines.length + 1; c++) row.getCell(c).numFmt = format;
  };
  addStat('Machine key', machines.map((m) => m.key));
  addStat('Window', machines.map(() => input.windowLabel));
  addStat('From', machines.map(() => excelLocalDate(input.from, zone)), EXCEL_DATE_TIME);
  addStat('To (exclusive)', machines.map(() => excelLocalDate(input.to, zone)), EXCEL_DATE_TIME);
  addStat('Time zone', machines.map(() => zone));
  for (const stat of STAT_ROWS) addStat(stat.label, machines.map((m) => stat.value(m.totals)), stat.format);
  const classes = machines[0]?.totals.stops.classes ?? [];
  classes.forEach((stopClass, index) => {
    const name = formatStopClass(stopClass.minSeconds, stopClass.maxSeconds);
    addStat(`Stops ${name}`, machines.map((m) => m.totals.stops.classes[index]?.count ?? null), '#,##0');
    addStat(`Stop time ${name} (min)`, machines.map((m) => (m.totals.stops.classes[index] ? m.totals.stops.classes[index].seconds / 60 : null)), '0.0');
  });
  addStat('Notes', machines.map((m) => plainWarnings(m.totals).join(' | ') || null));

  const stops = workbook.addWorksheet('stops', { views: [{ state: 'frozen', ySplit: 1 }] });
  stops.columns = [
    { header: 'Machine', key: 'machine', width: 12 },
    { header: 'Start', key: 'start', width: 21 },
    { header: 'End', key: 'end', width: 21 },
    { header: 'Seconds', key: 'seconds', width: 11 },
    { header: 'Minutes', key: 'minutes', width: 11 },
    { header: 'Minutes in window', key: 'countedMinutes', width: 18 },
    { header: 'Class', key: 'class', width: 14 },
    { header: 'Reason', key: 'reason', width: 24 },
    { header: 'Comment', key: 'comment', width: 40 },
  ];
  stops.getRow(1).font = { bold: true };
  for (const machine of machines) {
    const classList = machine.totals.stops.classes;
    for (const stop of machine.stops) {
      const stopClass = classList[stop.class];
      stops.addRow({
        machine: machine.key,
        start: excelLocalDate(stop.startMs, zone),
        end: excelLocalDate(stop.endMs, zone),
        seconds: stop.seconds,
        minutes: Math.round((stop.seconds / 60) * 10) / 10,
        countedMinutes: Math.round((stop.countedSeconds / 60) * 10) / 10,
        class: stopClass ? formatStopClass(stopClass.minSeconds, stopClass.maxSeconds) : stop.classLabel,
        reason: stop.automatic && stop.segments.length === 0 ? 'Minor stop (automatic)' : (stop.label ?? stop.reason),
        comment: stop.comment,
      });
    }
  }
  stops.getColumn('seconds').numFmt = '0.000';
  for (const key of ['start', 'end']) stops.getColumn(key).numFmt = EXCEL_DATE_TIME;
  stops.addRow([]);
  stops.addRow([`Stops of ${input.stopMinSeconds} s or more. Seconds and minutes: the whole stop (its class is by that); minutes in window: its part inside the window's loading time, what stop time counts.`]);

  const productivity = workbook.addWorksheet('productivity', { views: [{ state: 'frozen', ySplit: 1 }] });
  productivity.columns = [
    { header: 'Machine', key: 'machine', width: 12 },
    { header: 'From', key: 'from', width: 21 },
    { header: 'To', key: 'to', width: 21 },
    { header: 'Cycles', key: 'cycles', width: 10 },
    { header: 'Parts', key: 'parts', width: 10 },
    { header: 'Reworks', key: 'reworks', width: 10 },
    { header: 'Good', key: 'good', width: 10 },
    { header: 'Loading (min)', key: 'loading', width: 14 },
    { header: 'Stops', key: 'stops', width: 8 },
    { header: 'Stop time (min)', key: 'stopMinutes', width: 15 },
    { header: 'Rate while running (/min)', key: 'rate', width: 22 },
    { header: 'Availability', key: 'availability', width: 12 },
    { header: 'Performance', key: 'performance', width: 12 },
    { header: 'Quality', key: 'quality', width: 10 },
    { header: 'OEE', key: 'oee', width: 10 },
  ];
  productivity.getRow(1).font = { bold: true };
  for (const machine of machines) {
    for (const bucket of machine.series) {
      productivity.addRow({
        machine: machine.key,
        from: excelLocalDate(Date.parse(bucket.from), zone),
        to: excelLocalDate(Date.parse(bucket.to), zone),
        cycles: bucket.cycles,
        parts: bucket.parts,
        reworks: bucket.reworks,
        good: bucket.good,
        loading: Math.round((bucket.loadingSeconds / 60) * 10) / 10,
        stops: bucket.stops.count,
        stopMinutes: Math.round((bucket.stops.seconds / 60) * 10) / 10,
        rate: bucket.averageRatePerMinute,
        availability: bucket.availability,
        performance: bucket.performance,
        quality: bucket.quality,
        oee: bucket.oee,
      });
    }
  }
  for (const key of ['availability', 'performance', 'quality', 'oee']) productivity.getColumn(key).numFmt = PERCENT;
  for (const key of ['from', 'to']) productivity.getColumn(key).numFmt = EXCEL_DATE_TIME;

  const buffer = await workbook.xlsx.writeBuffer();
  return new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
}
