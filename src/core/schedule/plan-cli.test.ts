// `qmfg plan` end to end: the real CLI entry in a child process, on temporary scenario files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleScenario } from './scenario-fixture.js';

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
        { lot: '159070', step: 0, machine: 'line7', start: '2026-11-23T14:30:00.000Z', end: '2026-11-25T22:00:00.000Z', late: false },
        { lot: '159070', step: 1, machine: 'kit1', start: '2026-11-26T02:00:00.000Z', end: '2026-11-28T05:30:00.000Z', late: false },
        { lot: '0159071', step: 0, machine: 'line8', start: '2026-11-23T14:30:00.000Z', end: '2026-11-23T20:00:00.000Z', late: true },
        { lot: '0159071', step: 1, machine: null, start: null, end: null, late: false },
        { lot: '159072', step: 0, machine: null, start: null, end: null, late: false },
        { lot: '159072', step: 1, machine: null, start: null, end: null, late: false },
      ],
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
