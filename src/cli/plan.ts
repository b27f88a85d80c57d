// `qmfg plan <scenario.json> [--json]`: forecast a self-contained scenario with the scheduler.
import { readFile } from 'node:fs/promises';
import { DateTime } from 'luxon';
import { parseScenario, plan, ScenarioError, scenarioToPlanInput, type PlanResult, type Scenario } from '../core/schedule/index.js';
import { CliError } from './errors.js';

export async function planCommand(file: string, opts: { json?: boolean }): Promise<void> {
  const scenario = parseScenarioFile(file, await readScenarioText(file));
  const result = plan(scenarioToPlanInput(scenario));
  process.stdout.write(opts.json ? formatJson(result) : formatTable(result, scenario));
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

function formatJson(result: PlanResult): string {
  const operations = result.operations.map((operation) => ({
    lot: operation.lot,
    step: operation.step,
    machine: operation.machine,
    start: isoOrNull(operation.start),
    end: isoOrNull(operation.end),
    late: operation.late,
  }));
  return JSON.stringify({ operations }, null, 2) + '\n';
}

const REASON_TEXT: Record<PlanResult['unplanned'][number]['reason'], string> = {
  parked: 'parked',
  held: 'held',
  'predecessor-unplanned': 'waits for an unplanned step',
  'horizon-exceeded': 'beyond the 3-year horizon',
  'queue-deadlock': 'queue order deadlock',
};

/** Plant-local times for people; the JSON output stays in UTC. */
function formatTable(result: PlanResult, scenario: Scenario): string {
  const zone = scenario.timezone;
  const local = (instant: number | null): string =>
    instant === null ? '—' : DateTime.fromMillis(instant, { zone }).toFormat('ccc yyyy-LL-dd HH:mm');
  const reasonByOperation = new Map(result.unplanned.map((entry) => [`${entry.lot}\u0000${entry.step}`, REASON_TEXT[entry.reason]]));
  const header = ['lot', 'step', 'machine', 'start', 'end', 'status'];
  const rows = result.operations.map((operation) => [
    operation.lot,
    String(operation.step),
    operation.machine ?? '—',
    local(operation.start),
    local(operation.end),
    operation.late ? 'LATE' : (reasonByOperation.get(`${operation.lot}\u0000${operation.step}`) ?? (operation.end === null ? '' : 'on time')),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const lateCount = result.operations.filter((operation) => operation.late).length;
  return [
    `Plan at ${local(DateTime.fromISO(scenario.now, { zone }).toMillis())} (${zone}; times are plant-local)`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `${result.operations.length} operations, ${lateCount} late, ${result.unplanned.length} without forecast`,
    '',
  ].join('\n');
}
