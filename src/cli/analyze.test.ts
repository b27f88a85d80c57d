// `qmfg analyze` end to end, through the real CLI entry in a child process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle } from '../core/sensor/index.js';
import { parseSensorFile } from '../testing/parse-file.js';
import { computeOee } from '../core/oee/oee.js';
import { BUILTIN_PROFILES } from '../core/oee/profiles.js';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SENSORS = fileURLToPath(new URL('../../../shared/data/sensors', import.meta.url));
const LINE8_DAYS = ['PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt'].map((name) => join(SENSORS, 'Line8', name));

const RESULT_KEYS = [
  'machine', 'from', 'to', 'profile', 'cycles', 'parts', 'emptyCycles', 'reworks', 'loadingSeconds',
  'availabilityLossSeconds', 'netRunSeconds', 'availability', 'performance', 'quality', 'oee', 'stops',
  'mtbfSeconds', 'mttrSeconds', 'averageRatePerMinute', 'emptyRate', 'reworkRate', 'runSeconds',
  'effectiveRatePerMinute', 'rejects', 'warnings',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const qmfg = (args: string[], env: Record<string, string> = {}) => runQmfg(args, { QMFG_TZ: '', ...env });

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qmfg-analyze-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('qmfg analyze --json', () => {
  it('prints exactly the contract keys first, with the figures computeOee gives in-process', async () => {
    // files given out of date order: the command puts PRYYYYMMDD files in date order
    const run = await qmfg(['analyze', LINE8_DAYS[2], LINE8_DAYS[0], LINE8_DAYS[1], '--machine', 'line8', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report).slice(0, RESULT_KEYS.length)).toEqual(RESULT_KEYS);
    expect(Object.keys(report).slice(RESULT_KEYS.length)).toEqual(['zone', 'fromLocal', 'toLocal', 'files', 'rowErrors']);
    expect(report.files).toEqual(LINE8_DAYS);
    expect(report.zone).toBe('America/Los_Angeles');

    const cycles: Cycle[] = [];
    for (const file of LINE8_DAYS) for (const cycle of (await parseSensorFile(file, 'America/Los_Angeles')).cycles) cycles.push(cycle);
    const from = cycles.reduce((min, cycle) => Math.min(min, cycle.at), Infinity);
    const to = cycles.reduce((max, cycle) => Math.max(max, cycle.at), -Infinity) + 1;
    const expected = computeOee({ machine: 'line8', cycles, from, to, profile: BUILTIN_PROFILES['itrak-legacy'], days: { zone: 'America/Los_Angeles' } });
    for (const key of RESULT_KEYS) expect(report[key], key).toEqual(expected[key as keyof typeof expected]);
  });

  it('reads --from/--to as plant-local time in --tz', async () => {
    const run = await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--from', '2022-10-11T06:00', '--to', '2022-10-11T14:30', '--profile', 'iso22400', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    // PDT is UTC−7 in October
    expect(report.from).toBe('2022-10-11T13:00:00.000Z');
    expect(report.to).toBe('2022-10-11T21:30:00.000Z');
    expect(report.fromLocal).toBe('2022-10-11T06:00:00-07:00');
    expect(report.profile).toBe('iso22400@v1');
    expect(report.loadingSeconds).toBe(8.5 * 3600);
    expect(report.warnings.at(-1)).toMatch(/^calendar basis without a production calendar/);

    const inNewYork = JSON.parse((await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--from', '2022-10-11T09:00', '--to', '2022-10-11T17:30', '--tz', 'America/New_York', '--json'])).stdout);
    expect(inNewYork.from).toBe('2022-10-11T13:00:00.000Z');
    expect(inNewYork.zone).toBe('America/New_York');
  });

  it('prints row errors as file:line: message on stderr and still analyses the good rows', async () => {
    const file = join(scratch, 'PR20221011.txt');
    await writeFile(
      file,
      [
        '1330700,159070,1,1,10/11/22 06:00:00.000',
        '1330700,159070,2,1,10/11/22 06:00:00.450',
        'garbage',
        '1330700,159070,3,1,10/11/22 06:00:00.900',
        '1330700,159070,4,1,10/11/22 25:00:00.900',
        '1330700,159070,5,1,10/11/22 06:00:01.350',
      ].join('\n') + '\n',
    );
    const run = await qmfg(['analyze', file, '--machine', 'line8', '--json']);
    expect(run.code).toBe(0);
    const stderrLines = run.stderr.trim().split('\n');
    expect(stderrLines).toHaveLength(2);
    expect(stderrLines[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:3: `));
    expect(stderrLines[1]).toMatch(new RegExp(`^${escapeRegExp(file)}:5: `));
    const report = JSON.parse(run.stdout);
    expect(report.cycles).toBe(4);
    expect(report.rowErrors).toBe(2);
  });

  it('shows the first 20 row errors and counts the rest', async () => {
    const file = join(scratch, 'PR20221014.txt');
    const bad = Array.from({ length: 25 }, (_, i) => `1330700,159070,${i},1,not a time`);
    await writeFile(file, ['1330700,159070,100,1,10/14/22 06:00:00.000', ...bad, '1330700,159070,101,1,10/14/22 06:00:00.450'].join('\n'));
    const run = await qmfg(['analyze', file, '--machine', 'line8', '--json']);
    expect(run.code).toBe(0);
    const stderrLines = run.stderr.trim().split('\n');
    expect(stderrLines).toHaveLength(21);
    expect(stderrLines[19]).toMatch(new RegExp(`^${escapeRegExp(file)}:21: `));
    expect(stderrLines[20]).toBe('… 5 more row errors (25 in all); those rows were skipped');
    const report = JSON.parse(run.stdout);
    // the last line has no newline: it still counts
    expect(report.cycles).toBe(2);
    expect(report.rowErrors).toBe(25);
  });
});

describe('qmfg analyze — readable output', () => {
  it('prints a table with the OEE line and the stop classes', async () => {
    const run = await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8'], { QMFG_TZ: 'America/Los_Angeles' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^line8 · itrak-legacy@v1 · 2022-10-11 \d\d:\d\d → 2022-10-1\d \d\d:\d\d \(America\/Los_Angeles\)/);
    expect(run.stdout).toMatch(/\nOEE +\d+\.\d %  = availability \d+\.\d % × performance \d+\.\d % × quality \d+\.\d %/);
    expect(run.stdout).toMatch(/\n  ≥ 300 s +\d+/);
  });
});

describe('qmfg analyze — errors exit 1 with one line', () => {
  const expectOneLineError = (run: Run, pattern: RegExp) => {
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(pattern);
  };

  it('--from after --to', async () => {
    expectOneLineError(
      await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--from', '2022-10-11T12:00', '--to', '2022-10-11T06:00']),
      /^qmfg: --from \(2022-10-11T12:00\) must be before --to \(2022-10-11T06:00\)$/,
    );
  });

  it('a bad date', async () => {
    expectOneLineError(await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--from', '2022-13-45T06:00']), /^qmfg: --from "2022-13-45T06:00" is not a valid plant-local date-time/);
  });

  it('a missing file', async () => {
    const missing = join(scratch, 'PR20990101.txt');
    expectOneLineError(await qmfg(['analyze', LINE8_DAYS[0], missing, '--machine', 'line8']), new RegExp(`^qmfg: file not found: ${escapeRegExp(missing)}$`));
  });

  it('an unknown profile, listing the known ones', async () => {
    expectOneLineError(await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--profile', 'nope']), /^qmfg: unknown profile "nope" — known profiles: itrak-legacy, iso22400$/);
  });

  it('a file with no cycles', async () => {
    const file = join(scratch, 'PR20221012.txt');
    await writeFile(file, '');
    expectOneLineError(await qmfg(['analyze', LINE8_DAYS[0], file, '--machine', 'line8']), /^qmfg: .*PR20221012\.txt: no cycles \(the file is empty\)$/);
    const garbage = join(scratch, 'PR20221013.txt');
    await writeFile(garbage, 'not,a,camera,row\nnor,is,this\n');
    const run = await qmfg(['analyze', garbage, '--machine', 'line8']);
    expect(run.code).toBe(1);
    // the row errors come first, then the one-line reason
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^qmfg: .*PR20221013\.txt: no cycles \(all 2 rows are invalid\)$/);
  });

  it('--from after the end of the data', async () => {
    expectOneLineError(
      await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--from', '2022-10-20T06:00']),
      /^qmfg: --from \(2022-10-20T06:00\) is after the end of the data$/,
    );
  });

  it('an unknown time zone', async () => {
    expectOneLineError(await qmfg(['analyze', LINE8_DAYS[0], '--machine', 'line8', '--tz', 'Mars/Olympus']), /^qmfg: unknown time zone "Mars\/Olympus"/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
