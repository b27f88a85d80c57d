// `qmfg monitor <files…> --channel <name>`: the condition-monitoring method (src/core/spc/monitor.ts)
// on measurement files (.lvm, CSV/TSV), without a server or database, like `qmfg analyze` for the
// camera. Files are read in 64 KiB chunks through the streaming parsers and only the chosen
// channel's readings are kept; signals are control-chart and drift signals, never single readings
// out of spec (those are counted apart in `outOfSpec`).
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { DateTime, IANAZone } from 'luxon';
// the parsers' own modules, not the measurements index: it also loads zod for the mapping schema
import { CsvMeasurementParser, type FieldSplitter } from '../core/measurements/csv.js';
import { LineSplitter } from '../core/measurements/lines.js';
import { LvmParser } from '../core/measurements/lvm.js';
import type { CsvMapping } from '../core/measurements/mapping.js';
import type { MeasurementParser, ParseOutput, RowError } from '../core/measurements/types.js';
import { monitorSamples, type MonitorResult } from '../core/spc/monitor.js';
import type { Sample } from '../core/spc/types.js';
import { AppError, Invalid } from '../core/errors.js';
import { CliError } from './errors.js';

export interface MonitorCommandOptions {
  channel: string;
  lsl?: string;
  usl?: string;
  baselineFrom?: string;
  baselineTo?: string;
  subgroup: string;
  rules: string;
  tz?: string;
  mapping?: string;
  json?: boolean;
}

/** What `--json` prints: the contract keys first, then the allowed extras. */
export interface MonitorReport {
  samples: number;
  mean: number | null;
  sd: number | null;
  cp: number | null;
  cpk: number | null;
  limits: { center: number; lcl: number; ucl: number };
  signals: { rule: string; at: string; value: number }[];
  outOfSpec: { below: number; above: number };
  findings: { spikes: number; stuck: number; gaps: number };
}

const DEFAULT_ZONE = 'America/Los_Angeles';
const READ_CHUNK_BYTES = 1 << 16;
const MAX_ROW_ERRORS_SHOWN = 20;
/** bytes looked at for NUL bytes: text measurement files never contain one */
const BINARY_PROBE_BYTES = 8192;

export async function monitorCommand(files: string[], opts: MonitorCommandOptions): Promise<void> {
  const zone = opts.tz || process.env.QMFG_TZ || DEFAULT_ZONE;
  if (!IANAZone.create(zone).isValid) throw new CliError(`--tz: unknown time zone "${zone}" (expected an IANA zone such as America/Los_Angeles)`);
  const subgroupMinutes = parseSubgroup(opts.subgroup);
  const rules = parseRules(opts.rules);
  const lsl = parseLimit('--lsl', opts.lsl);
  const usl = parseLimit('--usl', opts.usl);
  if (lsl !== null && usl !== null && !(usl > lsl)) throw new CliError(`--usl (${usl}) must be above --lsl (${lsl})`);
  const baselineFrom = opts.baselineFrom === undefined ? null : parseLocal('--baseline-from', opts.baselineFrom, zone);
  const baselineTo = opts.baselineTo === undefined ? null : parseLocal('--baseline-to', opts.baselineTo, zone);
  if (baselineFrom !== null && baselineTo !== null && baselineFrom >= baselineTo) throw new CliError(`--baseline-from (${opts.baselineFrom}) must be before --baseline-to (${opts.baselineTo})`);
  const csv = await csvReading(opts.mapping, files);

  const wanted = opts.channel.trim().toLowerCase();
  const errors = new RowErrorPrinter();
  const samples: Sample[] = [];
  const found = new Set<string>();
  const perFile: { file: string; count: number }[] = [];
  for (const file of files) {
    const before = samples.length;
    readFile(file, parserFor(file, zone, csv), wanted, samples, found, errors);
    perFile.push({ file, count: samples.length - before });
  }
  errors.printSummary();
  if (samples.length === 0 && ![...found].some((name) => matches(name, wanted))) {
    throw new CliError(`--channel: no channel "${opts.channel}" in ${files.length === 1 ? files[0] : 'the files'} (channels found: ${[...found].join(', ') || 'none'})`);
  }
  const empty = perFile.find((entry) => entry.count === 0);
  if (empty) throw new CliError(`${empty.file}: no data for channel "${opts.channel}"`);
  // files may be given in any order; the method wants readings in time order
  if (!isSorted(samples)) samples.sort((a, b) => a.at - b.at);

  let result: MonitorResult;
  try {
    result = monitorSamples(samples, {
      lsl, usl, subgroupMinutes, rules,
      baseline: baselineFrom === null && baselineTo === null ? null : { from: baselineFrom ?? -Infinity, to: baselineTo ?? Infinity },
    });
  } catch (error) {
    if (error instanceof Invalid && error.fields[0]?.path === 'baseline') {
      const option = baselineFrom === null && baselineTo === null ? '--subgroup' : '--baseline-from/--baseline-to';
      throw new CliError(`${option}: ${error.fields[0].message}`);
    }
    if (error instanceof AppError) throw new CliError(error.message);
    throw error;
  }
  const report = toReport(result, zone);
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : renderSummary(report, opts.channel, zone, files.length));
}

function toReport(result: MonitorResult, zone: string): MonitorReport {
  return {
    samples: result.samples,
    mean: result.mean,
    sd: result.sd,
    cp: result.capability?.cp?.value ?? null,
    cpk: result.capability?.cpk?.value ?? null,
    limits: { center: result.limits.centre, lcl: result.limits.lcl, ucl: result.limits.ucl },
    signals: result.signals.map((signal) => ({ rule: signal.rule, at: formatLocal(signal.at, zone), value: signal.value })),
    outOfSpec: result.outOfSpec,
    findings: { spikes: result.findings.spikes, stuck: result.findings.stuck, gaps: result.findings.gaps },
  };
}

/** "Film thickness" matches "film thickness", and also "film-thickness" / "film_thickness" (a key). */
function matches(name: string, wanted: string): boolean {
  const lower = name.trim().toLowerCase();
  return lower === wanted || slug(lower) === slug(wanted);
}

function slug(text: string): string {
  return text.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function parserFor(file: string, zone: string, csv: CsvReading | null): MeasurementParser {
  if (/\.lvm$/i.test(file) || csv === null) return new LvmParser({ file, zone });
  return new CsvMeasurementParser({ file, zone, mapping: csv.mapping, split: csv.split });
}

/**
 * Streams one file through its parser: the wanted channel's readings go to `samples`, bad lines to
 * stderr. Plain synchronous reads, as in `qmfg analyze` (a read stream's per-chunk events cost more).
 */
function readFile(file: string, parser: MeasurementParser, wanted: string, samples: Sample[], found: Set<string>, errors: RowErrorPrinter): void {
  let fd: number;
  try {
    if (!statSync(file).isFile()) throw new CliError(`not a file: ${file}`);
    fd = openSync(file, 'r');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  const out: ParseOutput = { samples: [], errors: [] };
  // the channel a sample names is decided once per name, not per sample
  const decided = new Map<string, boolean>();
  const take = () => {
    for (const sample of out.samples) {
      let keep = decided.get(sample.channel);
      if (keep === undefined) {
        keep = matches(sample.channel, wanted);
        decided.set(sample.channel, keep);
        found.add(sample.channel);
      }
      // the parsed sample itself (it has at and value): a copy per reading only feeds the garbage collector
      if (keep) samples.push(sample);
    }
    for (const error of out.errors) errors.print(error);
    out.samples = [];
    out.errors = [];
  };
  const splitter = new LineSplitter();
  try {
    let first = true;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const bytes = readSync(fd, chunk, 0, READ_CHUNK_BYTES, null);
      if (bytes === 0) break;
      if (first && chunk.subarray(0, Math.min(bytes, BINARY_PROBE_BYTES)).includes(0)) {
        throw new CliError(`${file}: a binary file, not a measurement file (.lvm or CSV text)`);
      }
      first = false;
      for (const line of splitter.push(chunk.subarray(0, bytes))) parser.line(line.text, line.number, out);
      take();
    }
  } finally {
    closeSync(fd);
  }
  for (const line of splitter.end()) parser.line(line.text, line.number, out);
  parser.finish(out);
  take();
  for (const channel of parser.channels()) found.add(channel.name);
}

function isSorted(samples: readonly Sample[]): boolean {
  for (let i = 1; i < samples.length; i++) if (samples[i].at < samples[i - 1].at) return false;
  return true;
}

interface CsvReading {
  mapping: CsvMapping;
  split: FieldSplitter;
}

/**
 * How CSV files are read: the --mapping, else the defaults (header names, ISO time first), with
 * csv-parse for the fields (quotes, embedded delimiters). Loaded only when a CSV file is given.
 */
async function csvReading(path: string | undefined, files: string[]): Promise<CsvReading | null> {
  if (path === undefined && files.every((file) => /\.lvm$/i.test(file))) return null;
  const [{ csvMappingSchema }, { parse }] = await Promise.all([import('../core/measurements/mapping.js'), import('csv-parse/sync')]);
  const split: FieldSplitter = (line, delimiter) => (parse(line, { delimiter, relax_quotes: true, relax_column_count: true }) as string[][])[0] ?? [];
  if (path === undefined) return { mapping: csvMappingSchema.parse({}), split };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`--mapping: cannot read ${path} as JSON: ${(error as Error).message}`);
  }
  const parsed = csvMappingSchema.safeParse(json);
  if (!parsed.success) throw new CliError(`--mapping: ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return { mapping: parsed.data, split };
}

/** `5m`, `30s`, `1h` (also `2.5m`) → minutes. */
export function parseSubgroup(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h)\s*$/i.exec(text);
  const value = match ? Number(match[1]) : NaN;
  if (!match || !(value > 0)) throw new CliError(`--subgroup "${text}" is not a duration such as 5m, 30s or 1h`);
  const unit = match[2].toLowerCase();
  return unit === 's' ? value / 60 : unit === 'h' ? value * 60 : value;
}

function parseRules(text: string): 'western-electric' | 'nelson' {
  const name = text.trim().toLowerCase();
  if (name === 'we' || name === 'western-electric') return 'western-electric';
  if (name === 'nelson') return 'nelson';
  throw new CliError(`--rules "${text}" is not we (Western Electric) or nelson`);
}

function parseLimit(option: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) throw new CliError(`${option} "${text}" is not a number`);
  return value;
}

function parseLocal(option: string, value: string, zone: string): number {
  const parsed = DateTime.fromISO(value.trim().replace(' ', 'T'), { zone });
  if (!parsed.isValid) throw new CliError(`${option} "${value}" is not a plant-local date-time (expected e.g. 2026-10-05T06:00; ${parsed.invalidExplanation ?? parsed.invalidReason})`);
  return parsed.toMillis();
}

function formatLocal(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}

/** Bad lines go to stderr as `file:line: reason`, the first MAX_ROW_ERRORS_SHOWN of them, then a count. */
class RowErrorPrinter {
  private printed = 0;
  private total = 0;

  print(error: RowError): void {
    this.total++;
    if (this.printed >= MAX_ROW_ERRORS_SHOWN) return;
    process.stderr.write(`${error.file}:${error.line}: ${error.message}\n`);
    this.printed++;
  }

  printSummary(): void {
    if (this.total > this.printed) process.stderr.write(`… ${this.total - this.printed} more line errors (${this.total} in all); those lines were skipped\n`);
  }
}

function renderSummary(report: MonitorReport, channel: string, zone: string, fileCount: number): string {
  const number = (value: number | null, digits = 5) => (value === null ? '—' : Number(value.toPrecision(digits)).toString());
  const lines = [
    `${channel} · ${report.samples.toLocaleString('en-US')} readings from ${fileCount} file${fileCount === 1 ? '' : 's'} (${zone})`,
    `mean ${number(report.mean)} · sd ${number(report.sd)} · Cp ${number(report.cp, 3)} · Cpk ${number(report.cpk, 3)}`,
    `chart of subgroup means: center ${number(report.limits.center)} · LCL ${number(report.limits.lcl)} · UCL ${number(report.limits.ucl)}`,
    `out of spec: ${report.outOfSpec.below} below · ${report.outOfSpec.above} above · findings: ${report.findings.spikes} spikes, ${report.findings.stuck} stuck runs, ${report.findings.gaps} gaps`,
    report.signals.length === 0 ? 'no signals' : `${report.signals.length} signal${report.signals.length === 1 ? '' : 's'}:`,
    ...report.signals.slice(0, 20).map((signal) => `  ${signal.at}  ${signal.rule.padEnd(10)} ${number(signal.value)}`),
  ];
  if (report.signals.length > 20) lines.push(`  … ${report.signals.length - 20} more (--json lists them all)`);
  return `${lines.join('\n')}\n`;
}
