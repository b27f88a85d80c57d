// `qmfg forecast <files…> --machine --lot --quantity --standard-rate --at … [--calendar] [--tz] [--json]`:
// backtest of the lot forecasts on camera files, no server or database — the same core code as
// GET /api/work-orders/:lot/forecast. Only cycles before each --at are used for that --at.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { DateTime, IANAZone } from 'luxon';
import { validateWeekPattern, type CalendarSpec } from '../core/calendar/index.js';
import { forecastLot, MachineUnits } from '../core/forecast/index.js';
import { forecastToJson, type ForecastJson } from '../core/forecast/json.js';
import { fileDateFromName, SensorLogParser } from '../core/sensor/index.js';
import { DEMO_WEEK } from '../features/demo/plant.js';
import { CliError } from './errors.js';

export interface ForecastOptions {
  machine: string;
  lot: string;
  quantity: string;
  standardRate: string;
  at: string[];
  calendar?: string;
  tz?: string;
  json?: boolean;
}

const DEFAULT_ZONE = 'America/Los_Angeles';
const READ_CHUNK_BYTES = 1 << 16;

export async function forecastCommand(files: string[], opts: ForecastOptions): Promise<void> {
  const zone = opts.tz || process.env.QMFG_TZ || DEFAULT_ZONE;
  if (!IANAZone.create(zone).isValid) throw new CliError(`--tz "${zone}" is not an IANA time zone (e.g. America/Los_Angeles)`);
  const quantity = positiveNumber('--quantity', opts.quantity, true);
  const standardRatePerHour = positiveNumber('--standard-rate', opts.standardRate, false);
  const ats = (opts.at ?? []).map((text) => parseLocal(text, zone));
  if (ats.length === 0) throw new CliError('--at is required (plant-local, e.g. 2022-10-11T14:30)');
  const calendar = opts.calendar === undefined ? { default: DEMO_WEEK, weeks: {}, holidays: [] } : readCalendar(opts.calendar);
  const units = readUnits(files, zone);
  if (!units.hasLot(opts.lot)) throw new CliError(`--lot ${opts.lot}: no parts of this lot in the files given`);
  const results = ats.map((at) => forecastLot({ at, lot: opts.lot, quantity, standardRatePerHour, units, calendar, zone }));
  const json = results.map((result) => forecastToJson(result, zone));
  process.stdout.write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : renderTable(json, opts));
}

function positiveNumber(option: string, text: string, integer: boolean): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new CliError(`${option} "${text}" must be a ${integer ? 'positive whole number' : 'number > 0'}`);
  }
  return value;
}

function parseLocal(text: string, zone: string): number {
  const parsed = DateTime.fromISO(text, { zone });
  if (!parsed.isValid) throw new CliError(`--at "${text}" is not a plant-local date-time (expected e.g. 2022-10-11T14:30)`);
  return parsed.toMillis();
}

/** A scenario file (its `calendar`) or a bare calendar {default, weeks, holidays}. */
function readCalendar(file: string): CalendarSpec {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`--calendar ${file}: ${(error as Error).message}`);
  }
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const spec = (typeof record.calendar === 'object' && record.calendar !== null ? record.calendar : record) as Partial<CalendarSpec>;
  const problems = validateWeekPattern(spec.default).map((p) => `default${p.path ? `.${p.path}` : ''}: ${p.message}`);
  for (const [week, pattern] of Object.entries(spec.weeks ?? {})) {
    problems.push(...validateWeekPattern(pattern).map((p) => `weeks.${week}${p.path ? `.${p.path}` : ''}: ${p.message}`));
  }
  if (spec.holidays !== undefined && !(Array.isArray(spec.holidays) && spec.holidays.every((d) => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)))) {
    problems.push('holidays: must be a list of dates YYYY-MM-DD');
  }
  if (problems.length > 0) throw new CliError(`--calendar ${file}: ${problems.slice(0, 3).join('; ')}`);
  return { default: spec.default as CalendarSpec['default'], weeks: spec.weeks ?? {}, holidays: spec.holidays ?? [] };
}

/** Day-files in date order (as analyze does), streamed into the machine's units. */
function readUnits(files: string[], zone: string): MachineUnits {
  const dated = files.map((file, index) => ({ file, index, date: fileDateFromName(file) }));
  const ordered = dated.some((entry) => entry.date === null)
    ? files
    : dated.sort((a, b) => (a.date === b.date ? a.index - b.index : (a.date as string) < (b.date as string) ? -1 : 1)).map((entry) => entry.file);
  const units = new MachineUnits();
  for (const file of ordered) {
    const parser = new SensorLogParser({ file, zone });
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      for (;;) {
        const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
        const bytes = readSync(fd, chunk, 0, READ_CHUNK_BYTES, null);
        if (bytes === 0) break;
        for (const cycle of parser.push(chunk.subarray(0, bytes)).cycles) units.add(cycle);
      }
    } catch (error) {
      throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
    } finally {
      closeSync(fd);
    }
    for (const cycle of parser.end(true).cycles) units.add(cycle);
  }
  return units;
}

function renderTable(rows: ForecastJson[], opts: ForecastOptions): string {
  const short = (iso: string | null) => (iso === null ? '—' : iso.slice(0, 16).replace('T', ' '));
  const lines = [`${opts.machine} · lot ${opts.lot} · quantity ${opts.quantity} · standard ${opts.standardRate}/h`, ''];
  lines.push(`${'as of'.padEnd(17)} ${'produced'.padStart(9)} ${'remaining'.padStart(9)}  ${'standard'.padEnd(16)} ${'observed'.padEnd(16)} ${'rate/h'.padStart(7)}  forecast (${rows[0]?.forecast.method ?? ''})`);
  for (const row of rows) {
    lines.push(`${short(row.at).padEnd(17)} ${String(row.produced).padStart(9)} ${String(row.remaining).padStart(9)}  ${short(row.standard.end).padEnd(16)} ${short(row.observed.end).padEnd(16)} ${String(row.observed.ratePerHour).padStart(7)}  ${short(row.forecast.end)} ${row.forecast.method}`);
  }
  return `${lines.join('\n')}\n`;
}
