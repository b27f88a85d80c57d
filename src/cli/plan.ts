// `qmfg plan <scenario.json> [--optimize] [--json]`: forecast a self-contained scenario with the
// scheduler, or ask the optimiser for a better plan (issue 15) and show it with its KPIs before → after.
import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { DateTime } from 'luxon';
import {
  kpisOf,
  optimize,
  parseScenario,
  ScenarioError,
  ScheduleModel,
  scenarioToPlanInput,
  type OptimizeOptions,
  type PlanKpis,
  type PlanResult,
  type Scenario,
} from '../core/schedule/index.js';
import { scenarioOptions } from '../core/schedule/scenario.js';
import { CliError } from './errors.js';

export interface PlanCommandOptions {
  json?: boolean;
  optimize?: boolean;
  /** `500ms`, `5s`, `2m` or a plain number of seconds */
  timeLimit?: string;
  seed?: string;
  iterations?: string;
  nonDisruptive?: boolean;
}

/** the optimiser's wall-clock budget when neither --time-limit nor --iterations is given */
const DEFAULT_TIME_LIMIT_MS = 5000;

interface Optimised {
  current: PlanKpis;
  iterations: number;
  provedOptimal: boolean;
  elapsedMs: number;
  seed: number;
}

export async function planCommand(file: string, opts: PlanCommandOptions): Promise<void> {
  // options first: a typo in a flag is reported before a long file is read
  const optimizeOptions = opts.optimize ? parseOptimizeOptions(opts) : null;
  if (!opts.optimize) refuseOptimiserFlags(opts);
  const scenario = parseScenarioFile(file, await readScenarioText(file));
  const input = scenarioToPlanInput(scenario);

  let result: PlanResult;
  let kpis: PlanKpis;
  let optimised: Optimised | null = null;
  if (optimizeOptions) {
    const options: OptimizeOptions = { ...optimizeOptions, frozenHours: scenarioOptions(scenario).frozenHours };
    // on a terminal's stderr even with --json: the JSON goes to stdout
    const progress = optimisationProgress(process.stderr.isTTY === true, options);
    let outcome;
    try {
      outcome = optimize(input, options);
    } finally {
      progress.stop();
    }
    result = outcome.result;
    kpis = outcome.kpis;
    optimised = {
      current: outcome.currentKpis,
      iterations: outcome.iterations,
      provedOptimal: outcome.provedOptimal,
      elapsedMs: outcome.elapsedMs,
      seed: options.seed!,
    };
  } else {
    // the plan as given, through the same compiled model the optimiser scores
    const model = new ScheduleModel(input);
    model.run();
    result = model.result();
    kpis = kpisOf(model);
  }
  process.stdout.write(opts.json ? formatJson(result, kpis, optimised) : formatTable(result, kpis, optimised, scenario));
}

/** `500ms`, `5s`, `2m`, or a plain number of seconds → ms; anything else (or ≤ 0) is a one-line error. */
export function parseTimeLimit(text: string): number {
  const match = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) throw new CliError(`--time-limit must be a duration like 500ms, 5s or 2m (a plain number is seconds), got ${JSON.stringify(text)}`);
  const value = Number(match[1]);
  const unitMs = match[2] === 'ms' ? 1 : match[2] === 'm' ? 60_000 : 1000;
  const ms = value * unitMs;
  if (!(ms > 0)) throw new CliError(`--time-limit must be > 0, got ${JSON.stringify(text)}`);
  return ms;
}

function parseOptimizeOptions(opts: PlanCommandOptions): OptimizeOptions & { seed: number } {
  const seed = opts.seed === undefined ? 1 : Number(opts.seed);
  if (opts.seed !== undefined && (opts.seed.trim() === '' || !Number.isSafeInteger(seed))) {
    throw new CliError(`--seed must be an integer, got ${JSON.stringify(opts.seed)}`);
  }
  let iterations: number | undefined;
  if (opts.iterations !== undefined) {
    iterations = Number(opts.iterations);
    if (opts.iterations.trim() === '' || !Number.isSafeInteger(iterations) || iterations <= 0) {
      throw new CliError(`--iterations must be a whole number > 0, got ${JSON.stringify(opts.iterations)}`);
    }
  }
  // An iteration budget alone makes the run reproducible, so no wall clock is imposed on it;
  // with both, whichever comes first ends the search.
  const timeLimitMs =
    opts.timeLimit !== undefined ? parseTimeLimit(opts.timeLimit) : iterations === undefined ? DEFAULT_TIME_LIMIT_MS : undefined;
  return {
    seed,
    ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    ...(iterations !== undefined ? { iterations } : {}),
    nonDisruptive: opts.nonDisruptive === true,
  };
}

function refuseOptimiserFlags(opts: PlanCommandOptions): void {
  const given = [
    opts.timeLimit !== undefined && '--time-limit',
    opts.seed !== undefined && '--seed',
    opts.iterations !== undefined && '--iterations',
    opts.nonDisruptive && '--non-disruptive',
  ].filter((flag): flag is string => typeof flag === 'string');
  if (given.length > 0) throw new CliError(`${given.join(', ')} only ${given.length === 1 ? 'applies' : 'apply'} with --optimize`);
}

/**
 * A progress line on stderr (a terminal only) while the optimiser runs. optimize() is synchronous
 * and has no progress callback yet, so the line says what runs and its budget, and goes when it ends.
 */
function optimisationProgress(show: boolean, options: OptimizeOptions): { stop(): void } {
  if (!show) return { stop() {} };
  const budget = [
    options.timeLimitMs !== undefined ? `up to ${formatDuration(options.timeLimitMs)}` : null,
    options.iterations !== undefined ? `${options.iterations.toLocaleString('en-US')} iterations` : null,
  ]
    .filter(Boolean)
    .join(', ');
  // no bar: nothing tells how far the search is until it returns, so the line only says what runs
  const line = new cliProgress.SingleBar(
    { format: 'optimising … seed {seed}, {budget}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  line.start(1, 0, { seed: options.seed, budget });
  return {
    stop() {
      line.update(1);
      line.stop();
    },
  };
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))} s`;
  return `${Number((ms / 60_000).toFixed(3))} min`;
}

async function readScenarioText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new CliError(`cannot read scenario file '${file}': ${reason}`);
  }
}

function parseScenarioFile(file: string, text: string): Scenario {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw new CliError(`${file}: invalid JSON${jsonErrorLocation(text, error.message)}: ${error.message}`);
  }
  try {
    return parseScenario(data);
  } catch (error) {
    if (error instanceof ScenarioError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

/** " at line L column C" from V8's "… at position N", so an editor can jump there. */
function jsonErrorLocation(text: string, message: string): string {
  const position = /position (\d+)/.exec(message);
  if (!position) return '';
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` at line ${line} column ${column}`;
}

function isoOrNull(instant: number | null): string | null {
  return instant === null ? null : new Date(instant).toISOString();
}

function kpisJson(kpis: PlanKpis) {
  return {
    totalTardinessHours: kpis.totalTardinessHours,
    lateWorkOrders: kpis.lateWorkOrders,
    changeoverHours: kpis.changeoverHours,
    lastEnd: isoOrNull(kpis.lastEnd),
  };
}

function formatJson(result: PlanResult, kpis: PlanKpis, optimised: Optimised | null): string {
  const operations = result.operations.map((operation) => ({
    lot: operation.lot,
    step: operation.step,
    machine: operation.machine,
    start: isoOrNull(operation.start),
    end: isoOrNull(operation.end),
    late: operation.late,
    changeoverMinutes: operation.changeoverMinutes,
  }));
  const output = optimised
    ? { operations, kpis: kpisJson(kpis), current: kpisJson(optimised.current), iterations: optimised.iterations, provedOptimal: optimised.provedOptimal }
    : { operations, kpis: kpisJson(kpis) };
  return JSON.stringify(output, null, 2) + '\n';
}

const REASON_TEXT: Record<PlanResult['unplanned'][number]['reason'], string> = {
  parked: 'parked',
  held: 'held',
  'predecessor-unplanned': 'waits for an unplanned step',
  'horizon-exceeded': 'beyond the 3-year horizon',
  'queue-deadlock': 'queue order deadlock',
};

function formatHours(hours: number): string {
  return `${Number(hours.toFixed(2))} h`;
}

/** Plant-local times for people; the JSON output stays in UTC. */
function formatTable(result: PlanResult, kpis: PlanKpis, optimised: Optimised | null, scenario: Scenario): string {
  const zone = scenario.timezone;
  const local = (instant: number | null): string =>
    instant === null ? '—' : DateTime.fromMillis(instant, { zone }).toFormat('ccc yyyy-LL-dd HH:mm');
  const reasonByOperation = new Map(result.unplanned.map((entry) => [`${entry.lot}\u0000${entry.step}`, REASON_TEXT[entry.reason]]));
  const header = ['lot', 'step', 'machine', 'changeover', 'start', 'end', 'status'];
  const rows = result.operations.map((operation) => [
    operation.lot,
    String(operation.step),
    operation.machine ?? '—',
    operation.changeoverMinutes > 0 ? `${Number(operation.changeoverMinutes.toFixed(1))} min` : '',
    local(operation.start),
    local(operation.end),
    operation.late ? 'LATE' : (reasonByOperation.get(`${operation.lot}\u0000${operation.step}`) ?? (operation.end === null ? '' : 'on time')),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const lateCount = result.operations.filter((operation) => operation.late).length;
  const title = optimised ? 'Suggested plan' : 'Plan';
  return [
    `${title} at ${local(DateTime.fromISO(scenario.now, { zone }).toMillis())} (${zone}; times are plant-local)`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `${result.operations.length} operations, ${lateCount} late, ${result.unplanned.length} without forecast`,
    kpiLine(kpis, optimised, local),
    ...(optimised ? [optimiserLine(optimised)] : []),
    '',
  ].join('\n');
}

/** "tardiness 3.5 h (1 late work order), changeovers 2.5 h, last end …", before → after with --optimize. */
function kpiLine(kpis: PlanKpis, optimised: Optimised | null, local: (instant: number | null) => string): string {
  const lateOrders = (count: number) => `${count} late work order${count === 1 ? '' : 's'}`;
  if (!optimised) {
    return `KPIs: tardiness ${formatHours(kpis.totalTardinessHours)} (${lateOrders(kpis.lateWorkOrders)}), changeovers ${formatHours(kpis.changeoverHours)}, last end ${local(kpis.lastEnd)}`;
  }
  const before = optimised.current;
  const change = (from: string, to: string) => (from === to ? `${to} (unchanged)` : `${from} → ${to}`);
  return [
    `KPIs (current → suggested): tardiness ${change(formatHours(before.totalTardinessHours), formatHours(kpis.totalTardinessHours))}`,
    `late work orders ${change(String(before.lateWorkOrders), String(kpis.lateWorkOrders))}`,
    `changeovers ${change(formatHours(before.changeoverHours), formatHours(kpis.changeoverHours))}`,
    `last end ${change(local(before.lastEnd), local(kpis.lastEnd))}`,
    `without forecast ${change(String(before.unplannedOperations), String(kpis.unplannedOperations))}`,
  ].join(', ');
}

function optimiserLine(optimised: Optimised): string {
  const iterations = `${optimised.iterations.toLocaleString('en-US')} iteration${optimised.iterations === 1 ? '' : 's'}`;
  return `Optimiser: ${iterations} in ${formatDuration(optimised.elapsedMs)} (seed ${optimised.seed})${optimised.provedOptimal ? ', proved optimal' : ''}`;
}
