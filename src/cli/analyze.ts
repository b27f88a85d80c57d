// `qmfg analyze <files...>`: OEE and stop statistics of camera files, without a server or database
// (the original system's analytics script). Start-up time is part of the product here (target:
// three line-days in < 0.3 s wall time), so this file imports only the parser, the OEE core without
// zod (oee.js, profiles.js — not the oee index: zod alone costs ~55 ms to import) and Luxon for
// the plant-local window, and it streams cycles into the engine instead of collecting them.
import { closeSync, openSync, readSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { DateTime, IANAZone } from 'luxon';
import { fileDateFromName, SensorLogParser, type ParseBatch, type RowError } from '../core/sensor/index.js';
import { OeeAccumulator, type OeeResult } from '../core/oee/oee.js';
import { BUILTIN_PROFILES, isBuiltinProfileName, type OeeProfile } from '../core/oee/profiles.js';
import { CliError } from './errors.js';

export interface AnalyzeOptions {
  machine: string;
  from?: string;
  to?: string;
  profile: string;
  tz?: string;
  json?: boolean;
}

/** What `--json` prints: the OeeResult keys first (the contract), then context about the run. */
export interface AnalyzeReport extends OeeResult {
  zone: string;
  fromLocal: string;
  toLocal: string;
  files: string[];
  rowErrors: number;
}

const DEFAULT_ZONE = 'America/Los_Angeles';
const MAX_ROW_ERRORS_SHOWN = 20;
/**
 * 64 KiB reads keep each parsed batch (~1 500 cycles) small enough to die young in the nursery.
 * Measured on three line-days, CPU time of the whole command: 64 KiB 0.29 s, 256 KiB 0.30 s,
 * 1 MiB 0.38 s; collecting every cycle in an array first (parseSensorFile) 0.46 s.
 */
const READ_CHUNK_BYTES = 1 << 16;

/** Bad rows go to stderr as `file:line: message`, the first MAX_ROW_ERRORS_SHOWN of them, then a count. */
class RowErrorPrinter {
  private printed = 0;
  total = 0;

  print(error: RowError): void {
    if (this.printed >= MAX_ROW_ERRORS_SHOWN) return;
    process.stderr.write(`${error.file}:${error.line}: ${error.message}\n`);
    this.printed++;
  }

  addToTotal(count: number): void {
    this.total += count;
  }

  printSummary(): void {
    if (this.total > this.printed) {
      process.stderr.write(`… ${this.total - this.printed} more row errors (${this.total} in all); those rows were skipped\n`);
    }
  }
}

export async function analyzeCommand(files: string[], opts: AnalyzeOptions): Promise<void> {
  // an empty QMFG_TZ (a blank line in .env) means "not set", not "zone ''"
  const zone = opts.tz || process.env.QMFG_TZ || DEFAULT_ZONE;
  // IANAZone.create is cached per name; isValidZone builds a new Intl formatter on every call
  if (!IANAZone.create(zone).isValid) throw new CliError(`unknown time zone "${zone}" (expected an IANA zone such as America/Los_Angeles)`);
  const profile = resolveProfile(opts.profile);
  const requestedFrom = opts.from === undefined ? null : parseLocal('--from', opts.from, zone);
  const requestedTo = opts.to === undefined ? null : parseLocal('--to', opts.to, zone);
  if (requestedFrom !== null && requestedTo !== null && requestedFrom >= requestedTo) {
    throw new CliError(`--from (${opts.from}) must be before --to (${opts.to})`);
  }

  const ordered = orderFiles(files);
  await Promise.all(ordered.map(assertReadableFile));

  // Cycles stream from the parser into the engine and are dropped chunk by chunk: holding all
  // 225 000 of three line-days costs more in garbage collection than the OEE arithmetic itself.
  // firstToLastPart: loading is the production run of each plant-local day (files of the past: no "now")
  const accumulator = new OeeAccumulator({ profile, from: requestedFrom ?? undefined, to: requestedTo ?? undefined, days: { zone } });
  const rowErrors = new RowErrorPrinter();
  for (const file of ordered) {
    const parser = new SensorLogParser({ file, zone });
    let fileCycles = 0;
    const take = (batch: ParseBatch) => {
      for (const cycle of batch.cycles) accumulator.add(cycle);
      fileCycles += batch.cycles.length;
      for (const error of batch.errors) rowErrors.print(error);
    };
    try {
      // plain synchronous reads: a read stream's per-chunk machinery (fstat, events) cost ~90 ms here
      const fd = openSync(file, 'r');
      try {
        for (;;) {
          const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
          const bytes = readSync(fd, chunk, 0, READ_CHUNK_BYTES, null);
          if (bytes === 0) break;
          take(parser.push(chunk.subarray(0, bytes)));
        }
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      // a file that vanished or became unreadable after the check: the user's problem, one line
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string') throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
      throw error;
    }
    const errorsBeforeEnd = parser.errorCount;
    take(parser.end(true));
    // end() reports rows beyond the parser's cap as one summary; errorCount still counts them all
    // (it can miss only a bad unterminated last line after the cap: not worth more machinery)
    const fileErrors = Math.max(errorsBeforeEnd, parser.errorCount);
    rowErrors.addToTotal(fileErrors);
    if (fileCycles === 0) {
      const why = fileErrors > 0 ? `all ${fileErrors} rows are invalid` : 'the file is empty';
      throw new CliError(`${file}: no cycles (${why})`);
    }
  }
  rowErrors.printSummary();

  const window = accumulator.window();
  if (window === null) {
    throw new CliError(
      requestedFrom !== null ? `--from (${opts.from}) is after the end of the data` : `--to (${opts.to}) is before the start of the data`,
    );
  }
  const result = accumulator.result({
    machine: opts.machine,
    // Without a database there is no production calendar: the window itself is the plan.
    loadingIntervals: profile.basis === 'calendar' ? [{ start: window.from, end: window.to }] : undefined,
  });
  if (profile.basis === 'calendar') {
    result.warnings.push(
      'calendar basis without a production calendar: the whole window is taken as planned production time (pass --from/--to to match the shift)',
    );
  }

  const report: AnalyzeReport = {
    ...result,
    zone,
    fromLocal: formatLocal(window.from, zone),
    toLocal: formatLocal(window.to, zone),
    files: ordered,
    rowErrors: rowErrors.total,
  };
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderTable(report, profile));
}

function resolveProfile(name: string): OeeProfile {
  if (!isBuiltinProfileName(name)) {
    throw new CliError(`unknown profile "${name}" — known profiles: ${Object.keys(BUILTIN_PROFILES).join(', ')}`);
  }
  return BUILTIN_PROFILES[name];
}

function parseLocal(option: string, value: string, zone: string): number {
  const parsed = DateTime.fromISO(value, { zone });
  if (!parsed.isValid) {
    throw new CliError(`${option} "${value}" is not a valid plant-local date-time (expected e.g. 2022-10-11T06:00; ${parsed.invalidExplanation ?? parsed.invalidReason})`);
  }
  return parsed.toMillis();
}

/**
 * Camera files are concatenated in the order given, except that day-files named
 * <process code><YYYYMMDD>.txt are put in date order (a shell glob already sorts them, a hand-typed list may
 * not). If any file does not follow the pattern the user's order is kept as a whole.
 */
function orderFiles(files: string[]): string[] {
  const dated = files.map((file, index) => ({ file, index, date: fileDateFromName(file) }));
  if (dated.some((entry) => entry.date === null)) return [...files];
  return dated
    .sort((a, b) => (a.date === b.date ? a.index - b.index : (a.date as string) < (b.date as string) ? -1 : 1))
    .map((entry) => entry.file);
}

async function assertReadableFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`file not found: ${file}`);
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (!info.isFile()) throw new CliError(`not a file: ${file}`);
}

function formatLocal(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}

// ---- readable output -------------------------------------------------------------------------

function renderTable(report: AnalyzeReport, profile: OeeProfile): string {
  const pct = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
  const count = (value: number) => value.toLocaleString('en-US');
  const rate = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}/min`);
  const shortLocal = (iso: string) => iso.slice(0, 16).replace('T', ' ');
  const lines: string[] = [];
  lines.push(`${report.machine} · ${report.profile} · ${shortLocal(report.fromLocal)} → ${shortLocal(report.toLocal)} (${report.zone})`);
  lines.push(`files: ${report.files.map((file) => basename(file)).join(', ')}${report.rowErrors > 0 ? ` · ${report.rowErrors} bad rows skipped` : ''}`);
  lines.push('');
  const row = (label: string, value: string, detail = '') => lines.push(`${label.padEnd(18)}${value.padStart(12)}  ${detail}`.trimEnd());
  row('OEE', pct(report.oee), `= availability ${pct(report.availability)} × performance ${pct(report.performance)} × quality ${pct(report.quality)}`);
  row('cycles', count(report.cycles), `parts ${count(report.parts)} · empty ${count(report.emptyCycles)} (${pct(report.emptyRate)})`);
  row('reworks', count(report.reworks), `${pct(report.reworkRate)} of parts · rejects ${count(report.rejects)}`);
  row('loading time', duration(report.loadingSeconds), profile.basis === 'calendar' ? 'planned production time (calendar basis)' : 'first to last part of each day');
  row('availability loss', duration(report.availabilityLossSeconds), `stops ≥ ${profile.availabilityLossSeconds} s`);
  row('net run time', duration(report.netRunSeconds), `run time (gaps ≤ ${profile.maxCycleSeconds} s) ${duration(report.runSeconds)}`);
  row('average rate', rate(report.averageRatePerMinute), `while running · effective ${rate(report.effectiveRatePerMinute)} · ideal ${profile.idealRatePerMinute}/min`);
  row('MTBF', report.mtbfSeconds === null ? '—' : duration(report.mtbfSeconds), `MTTR ${report.mttrSeconds === null ? '—' : duration(report.mttrSeconds)}`);
  row('stops', count(report.stops.count), duration(report.stops.seconds));
  for (const stopClass of report.stops.classes) {
    const label = stopClass.maxSeconds === null ? `≥ ${stopClass.minSeconds} s` : `${stopClass.minSeconds}–${stopClass.maxSeconds} s`;
    row(`  ${label}`, count(stopClass.count), duration(stopClass.seconds));
  }
  if (report.warnings.length > 0) {
    lines.push('');
    for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  }
  return `${lines.join('\n')}\n`;
}

/** 5025.3 → "1:23:45" (hours may exceed 24: loading time of several days). */
function duration(totalSeconds: number): string {
  const whole = Math.round(totalSeconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  return `${hours}:${String(minutes).padStart(2, '0')}:${String(secs).padStart(2, '0')}`;
}
