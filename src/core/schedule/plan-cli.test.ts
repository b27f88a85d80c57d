// `qmfg plan` end to end: the real CLI entry in a child process, on temporary scenario files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioFile } from './scenario.js';
import { changeoverScenario, sampleScenario } from './scenario-fixture.js';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'qmfg-plan-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function writeScenario(name: string, content: unknown): string {
  const file = join(folder, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function qmfgPlan(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'plan', ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('qmfg plan', () => {
  it('prints the plan as JSON with UTC instants, in lot-then-step order', () => {
    const scenario = sampleScenario();
    // make the second lot late: due 11:00 PST, it ends 12:00 PST
    scenario.workOrders[1].due = '2026-11-23T11:00';
    const run = qmfgPlan(writeScenario('ok.json', scenario), '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // hand-computed in scenario.test.ts ("accepts the sample and plans it")
    expect(JSON.parse(run.stdout)).toEqual({
      operations: [
        { lot: '159070', step: 0, machine: 'line7', start: '2026-11-23T14:30:00.000Z', end: '2026-11-25T22:00:00.000Z', late: false, changeoverMinutes: 0 },
        { lot: '159070', step: 1, machine: 'kit1', start: '2026-11-26T02:00:00.000Z', end: '2026-11-28T05:30:00.000Z', late: false, changeoverMinutes: 0 },
        { lot: '0159071', step: 0, machine: 'line8', start: '2026-11-23T14:30:00.000Z', end: '2026-11-23T20:00:00.000Z', late: true, changeoverMinutes: 0 },
        { lot: '0159071', step: 1, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
        { lot: '159072', step: 0, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
        { lot: '159072', step: 1, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
      ],
      // 0159071 ends 12:00 PST, due 11:00: 1 h late; the last end is 159070's kitting
      kpis: { totalTardinessHours: 1, lateWorkOrders: 1, changeoverHours: 0, lastEnd: '2026-11-28T05:30:00.000Z' },
    });
  });

  it('prints a readable table in plant-local time without --json', () => {
    const scenario = sampleScenario();
    scenario.workOrders[1].due = '2026-11-23T11:00';
    const run = qmfgPlan(writeScenario('table.json', scenario));
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toContain('America/Los_Angeles');
    expect(lines.find((line) => line.startsWith('159070 ') && line.includes('kit1'))).toMatch(/Wed 2026-11-25 18:00\s+Fri 2026-11-27 21:30\s+on time/);
    expect(lines.find((line) => line.startsWith('0159071') && line.includes('line8'))).toMatch(/Mon 2026-11-23 06:30\s+Mon 2026-11-23 12:00\s+LATE/);
    expect(run.stdout).toContain('6 operations, 1 late, 3 without forecast');
  });

  it('fails with one line naming the path of a bad reference', () => {
    const scenario = sampleScenario();
    scenario.workOrders[0].operations![1].machine = 'line99';
    const file = writeScenario('bad-machine.json', scenario);
    const run = qmfgPlan(file, '--json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`qmfg: ${file}: workOrders[0].operations[1].machine: unknown machine 'line99'\n`);
  });

  it('fails on a numeric lot, a missing file and invalid JSON, naming the file', () => {
    const scenario = sampleScenario() as unknown as { workOrders: Record<string, unknown>[] };
    scenario.workOrders[2].lot = 159072;
    const numericLot = qmfgPlan(writeScenario('numeric-lot.json', scenario), '--json');
    expect(numericLot.status).toBe(1);
    expect(numericLot.stderr).toMatch(/^qmfg: .*numeric-lot\.json: workOrders\[2\]\.lot: lot must be a string/);

    const missing = join(folder, 'nope.json');
    const missingRun = qmfgPlan(missing, '--json');
    expect(missingRun.status).toBe(1);
    expect(missingRun.stderr).toBe(`qmfg: cannot read scenario file '${missing}': no such file\n`);

    const broken = writeScenario('broken.json', '{\n  "timezone": "UTC",\n  "now": 2026-11-23\n}');
    const brokenRun = qmfgPlan(broken, '--json');
    expect(brokenRun.status).toBe(1);
    expect(brokenRun.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(brokenRun.stderr).toContain(`${broken}: invalid JSON at line 3 column 14`);
  });
});

interface PrintedOperation {
  lot: string;
  step: number;
  machine: string | null;
  start: string | null;
  end: string | null;
  late: boolean;
  changeoverMinutes: number;
}
interface PrintedKpis {
  totalTardinessHours: number;
  lateWorkOrders: number;
  changeoverHours: number;
  lastEnd: string | null;
}

/** A file's due text → instant, read independently of scenario.ts: a plain date is due by the end of that plant-local day. */
function dueOf(text: string | null | undefined, zone: string): number | null {
  if (text == null) return null;
  const instant = DateTime.fromISO(text, { zone });
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? instant.plus({ days: 1 }).toMillis() : instant.toMillis();
}

/** The KPIs recomputed from the printed operations and the file's due dates. */
function kpisFromOperations(operations: PrintedOperation[], scenario: ScenarioFile): PrintedKpis {
  let tardinessMs = 0;
  let lateWorkOrders = 0;
  let lastEnd: number | null = null;
  for (const workOrder of scenario.workOrders) {
    const ends = operations.filter((o) => o.lot === workOrder.lot && o.end !== null).map((o) => Date.parse(o.end!));
    if (ends.length === 0) continue;
    const end = Math.max(...ends);
    lastEnd = lastEnd === null ? end : Math.max(lastEnd, end);
    const due = dueOf(workOrder.due, scenario.timezone);
    if (due !== null && end > due) {
      tardinessMs += end - due;
      lateWorkOrders += 1;
    }
  }
  const changeoverMinutes = operations.reduce((sum, o) => sum + o.changeoverMinutes, 0);
  return { totalTardinessHours: tardinessMs / 3_600_000, lateWorkOrders, changeoverHours: changeoverMinutes / 60, lastEnd: lastEnd === null ? null : new Date(lastEnd).toISOString() };
}

function expectKpisClose(actual: PrintedKpis, expected: PrintedKpis): void {
  expect(actual.totalTardinessHours).toBeCloseTo(expected.totalTardinessHours, 6);
  expect(actual.changeoverHours).toBeCloseTo(expected.changeoverHours, 6);
  expect(actual.lateWorkOrders).toBe(expected.lateWorkOrders);
  expect(actual.lastEnd).toBe(expected.lastEnd);
}

describe('qmfg plan: changeovers and KPIs', () => {
  it('prints each operation’s changeover minutes and the KPIs of the plan as given', () => {
    // hand-computed in scenario.test.ts ("plans the changeovers the file describes")
    const run = qmfgPlan(writeScenario('changeovers.json', changeoverScenario()), '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      operations: [
        { lot: 'L1', step: 0, machine: 'line7', start: '2026-11-23T14:30:00.000Z', end: '2026-11-23T23:00:00.000Z', late: false, changeoverMinutes: 0 },
        { lot: 'L2', step: 0, machine: 'line7', start: '2026-11-23T23:00:00.000Z', end: '2026-11-24T06:00:00.000Z', late: true, changeoverMinutes: 150 },
        { lot: 'L3', step: 0, machine: 'line8', start: '2026-11-23T14:30:00.000Z', end: '2026-11-23T19:30:00.000Z', late: false, changeoverMinutes: 0 },
        { lot: 'L4', step: 0, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
        { lot: 'L5', step: 0, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
        { lot: 'L5', step: 1, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
        { lot: 'L6', step: 0, machine: null, start: null, end: null, late: false, changeoverMinutes: 0 },
      ],
      // L2 ends 22:00 PST, due 18:00: 4 h late; 150 min of changeover
      kpis: { totalTardinessHours: 4, lateWorkOrders: 1, changeoverHours: 2.5, lastEnd: '2026-11-24T06:00:00.000Z' },
    });
  });

  it('shows a changeover column and a KPI line in the table', () => {
    const run = qmfgPlan(writeScenario('changeovers-table.json', changeoverScenario()));
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.find((line) => line.startsWith('lot '))).toMatch(/^lot\s+step\s+machine\s+changeover\s+start\s+end\s+status$/);
    expect(lines.find((line) => line.startsWith('L2 '))).toMatch(/line7\s+150 min\s+Mon 2026-11-23 15:00\s+Mon 2026-11-23 22:00\s+LATE/);
    expect(run.stdout).toContain('KPIs: tardiness 4 h (1 late work order), changeovers 2.5 h, last end Mon 2026-11-23 22:00\n');
  });

  it('--optimize --json: the suggestion with its KPIs (consistent with its operations), the current KPIs, iterations', () => {
    const scenario = changeoverScenario();
    const file = writeScenario('optimize.json', scenario);
    const asGiven = JSON.parse(qmfgPlan(file, '--json').stdout) as { kpis: PrintedKpis };
    const run = qmfgPlan(file, '--optimize', '--time-limit', '1s', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout) as { operations: PrintedOperation[]; kpis: PrintedKpis; current: PrintedKpis; iterations: number; provedOptimal: boolean };
    expect(Object.keys(output).sort()).toEqual(['current', 'iterations', 'kpis', 'operations', 'provedOptimal']);
    expect(Object.keys(output.kpis).sort()).toEqual(['changeoverHours', 'lastEnd', 'lateWorkOrders', 'totalTardinessHours']);
    expect(Number.isInteger(output.iterations) && output.iterations >= 0).toBe(true);
    expect(typeof output.provedOptimal).toBe('boolean');

    // every routing step of every work order, in lot-then-step order, each with the contract's fields
    expect(output.operations.map((o) => `${o.lot}/${o.step}`)).toEqual(['L1/0', 'L2/0', 'L3/0', 'L4/0', 'L5/0', 'L5/1', 'L6/0']);
    const groupOf = new Map(scenario.machines.map((m) => [m.key, m.group]));
    const productOf = new Map(scenario.products.map((p) => [p.key, p]));
    for (const operation of output.operations) {
      expect(Object.keys(operation).sort()).toEqual(['changeoverMinutes', 'end', 'late', 'lot', 'machine', 'start', 'step']);
      const routingStep = productOf.get(scenario.workOrders.find((w) => w.lot === operation.lot)!.product)!.routing[operation.step];
      if (operation.machine !== null) expect(groupOf.get(operation.machine)).toBe(routingStep.group);
      if (operation.end !== null) {
        const due = dueOf(scenario.workOrders.find((w) => w.lot === operation.lot)!.due, scenario.timezone);
        expect(operation.late).toBe(due !== null && Date.parse(operation.end) > due);
        expect(Date.parse(operation.start!)).toBeLessThanOrEqual(Date.parse(operation.end));
      }
    }
    // the pinned operation keeps its machine
    expect(output.operations.find((o) => o.lot === 'L1')!.machine).toBe('line7');

    // kpis are those of the printed operations; current are those of the plan as given
    expectKpisClose(output.kpis, kpisFromOperations(output.operations, scenario));
    expect(output.current).toEqual(asGiven.kpis);
  });

  it('--optimize with the same seed and iteration budget prints the same plan', () => {
    const file = writeScenario('optimize-seed.json', changeoverScenario());
    const first = qmfgPlan(file, '--optimize', '--seed', '7', '--iterations', '300', '--json');
    const second = qmfgPlan(file, '--optimize', '--seed', '7', '--iterations', '300', '--json');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout).operations.length).toBe(7);
    expect(second.stdout).toBe(first.stdout);
  });

  it('--optimize shows the KPIs before → after and what the optimiser did in the table', () => {
    const run = qmfgPlan(writeScenario('optimize-table.json', changeoverScenario()), '--optimize', '--iterations', '200');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Suggested plan at Mon 2026-11-23 06:30 \(America\/Los_Angeles/);
    const kpiLine = lines.find((line) => line.startsWith('KPIs (current → suggested): '));
    // the current side is the plan as given: 4 h tardiness, 1 late work order, 2.5 h changeovers
    expect(kpiLine).toMatch(/tardiness 4 h( \(unchanged\)| → [\d.]+ h), late work orders 1( \(unchanged\)| → \d+), changeovers 2\.5 h( \(unchanged\)| → [\d.]+ h), last end /);
    expect(lines.find((line) => line.startsWith('Optimiser: '))).toMatch(/^Optimiser: [\d,]+ iterations? in [\d.]+ (ms|s) \(seed 1\)/);
  });

  // util-linux `script` gives the CLI a terminal; a pipe (every other test here) gets no progress line
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('shows a progress line on a terminal\'s stderr while optimising, and clears it', () => {
    const file = writeScenario('progress.json', changeoverScenario());
    const out = join(folder, 'progress-out.json');
    const command = `${JSON.stringify(process.execPath)} --import tsx src/cli/index.ts plan ${JSON.stringify(file)} --optimize --iterations 25 --json > ${JSON.stringify(out)}`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('optimising … seed 1, 25 iterations');
    // cleared when done: the line is erased (ESC [2K) after it was drawn
    expect(run.stdout.lastIndexOf('\u001b[2K')).toBeGreaterThan(run.stdout.indexOf('optimising'));
    expect(JSON.parse(readFileSync(out, 'utf8')).operations).toHaveLength(7);
  });

  it('refuses a time limit <= 0 or that is no duration, in one line', () => {
    const file = writeScenario('limits.json', changeoverScenario());
    const zero = qmfgPlan(file, '--optimize', '--time-limit', '0s', '--json');
    expect(zero.status).toBe(1);
    expect(zero.stdout).toBe('');
    expect(zero.stderr).toBe('qmfg: --time-limit must be > 0, got "0s"\n');
    const negative = qmfgPlan(file, '--optimize', '--time-limit=-2', '--json');
    expect(negative.stderr).toBe('qmfg: --time-limit must be > 0, got "-2"\n');
    const words = qmfgPlan(file, '--optimize', '--time-limit', 'soon', '--json');
    expect(words.status).toBe(1);
    expect(words.stderr).toBe('qmfg: --time-limit must be a duration like 500ms, 5s or 2m (a plain number is seconds), got "soon"\n');
  });

  it('accepts 500ms, 2m and plain seconds as time limits; refuses bad seeds and iteration counts, and optimiser flags without --optimize', () => {
    const file = writeScenario('flags.json', changeoverScenario());
    expect(qmfgPlan(file, '--optimize', '--time-limit', '500ms', '--json').status).toBe(0);
    expect(qmfgPlan(file, '--optimize', '--time-limit', '0.5', '--iterations', '50', '--json').status).toBe(0);
    // 2 minutes, ended by the iteration budget long before
    expect(qmfgPlan(file, '--optimize', '--time-limit', '2m', '--iterations', '50', '--json').status).toBe(0);
    const seed = qmfgPlan(file, '--optimize', '--seed', 'one', '--json');
    expect([seed.status, seed.stderr]).toEqual([1, 'qmfg: --seed must be an integer, got "one"\n']);
    const iterations = qmfgPlan(file, '--optimize', '--iterations', '0', '--json');
    expect([iterations.status, iterations.stderr]).toEqual([1, 'qmfg: --iterations must be a whole number > 0, got "0"\n']);
    const withoutOptimize = qmfgPlan(file, '--time-limit', '5s', '--seed', '2', '--json');
    expect([withoutOptimize.status, withoutOptimize.stderr]).toEqual([1, 'qmfg: --time-limit, --seed only apply with --optimize\n']);
  });

  it('fails with one line naming the path of an unknown family in a changeover rule', () => {
    const scenario = changeoverScenario();
    scenario.changeovers![2].to = 'x';
    const file = writeScenario('bad-family.json', scenario);
    const run = qmfgPlan(file, '--optimize', '--json');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`qmfg: ${file}: changeovers[2].to: unknown family 'x'\n`);
  });
});
