// `qmfg forecast` contract end to end, through the real CLI entry in a child process, on the real
// Line 8 logs: the JSON shape and key order, one element per --at in the order given, --at read
// as plant-local time, and the one-line errors that exit 1 naming the option.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SENSORS = fileURLToPath(new URL('../../../shared/data/sensors', import.meta.url));
const LINE8 = ['PR20221010.txt', 'PR20221011.txt', 'PR20221012.txt'].map((name) => join(SENSORS, 'Line8', name));
const BASE = ['forecast', ...LINE8, '--machine', 'line8', '--lot', '159070', '--quantity', '190468', '--standard-rate', '5000'];

const qmfg = (args: string[], env: Record<string, string> = {}) => runQmfg(args, { QMFG_TZ: '', ...env });

const OFFSET_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/;

describe('qmfg forecast', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qmfg-forecast-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one object per --at, in the order given, with the contract keys and offset instants', async () => {
    const run = await qmfg([...BASE, '--at', '2022-10-12T10:00', '--at', '2022-10-11T14:30', '--at', '2022-10-10T08:00', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, any>[];
    expect(out.map((entry) => entry.at)).toEqual(['2022-10-12T10:00:00-07:00', '2022-10-11T14:30:00-07:00', '2022-10-10T08:00:00-07:00']);
    for (const entry of out) {
      expect(Object.keys(entry)).toEqual(['at', 'produced', 'remaining', 'standard', 'observed', 'forecast']);
      expect(Object.keys(entry.standard)).toEqual(['end']);
      expect(Object.keys(entry.observed)).toEqual(['end', 'ratePerHour']);
      expect(Object.keys(entry.forecast)).toEqual(['end', 'method']);
      expect(entry.forecast.end).toMatch(OFFSET_ISO);
      expect(entry.standard.end).toMatch(OFFSET_ISO);
      expect(entry.produced + entry.remaining).toBe(190468);
    }
    // later moments have produced more; before the first part (16:11 on 10 Oct): 0 and the standard estimate
    expect(out[0].produced).toBeGreaterThan(out[1].produced);
    expect(out[2]).toMatchObject({ produced: 0, remaining: 190468, observed: { end: null, ratePerHour: 0 } });
    expect(out[2].forecast).toEqual({ end: out[2].standard.end, method: 'standard' });
    expect(out[1].forecast.method).toBe('recommended');
    // standard: 190 468 ÷ 5000/h = 38.0936 h = 38 h 5 min 36.96 s from 08:00 (working from 06:30):
    // 15 h on 10 Oct, 16.5 h on 11 Oct, 6.5936 h on 12 Oct from 06:30 → 13:05:36.96
    expect(out[2].standard.end).toBe('2022-10-12T13:05:37-07:00');
  });

  it('reads --at in --tz and takes the calendar from a scenario file', async () => {
    const scenario = join(dir, 'scenario.json');
    const shifts = [['08:00', '16:00']];
    const week = { mon: shifts, tue: shifts, wed: shifts, thu: shifts, fri: shifts, sat: shifts, sun: shifts };
    await writeFile(scenario, JSON.stringify({ timezone: 'America/Los_Angeles', calendar: { default: week } }));
    const run = await qmfg([...BASE, '--at', '2022-10-10T08:00', '--calendar', scenario, '--tz', 'America/Los_Angeles', '--json']);
    expect(run.code).toBe(0);
    const [entry] = JSON.parse(run.stdout);
    // 38.0936 h over 8 h days from 10 Oct 08:00: 4 days, then 6.0936 h on 14 Oct → 14:05:37
    expect(entry.standard.end).toBe('2022-10-14T14:05:37-07:00');
  });

  it.each([
    [['--lot', '424242'], '--lot'],
    [['--quantity', '0'], '--quantity'],
    [['--quantity', '-5'], '--quantity'],
    [['--at', 'yesterday'], '--at'],
    [['--at', '2022-13-40T10:00'], '--at'],
  ])('%j exits 1 with one line naming %s', async (override, option) => {
    const args = [...BASE, '--at', '2022-10-11T14:30', '--json'];
    for (let i = 0; i < override.length; i += 2) {
      const index = args.lastIndexOf(override[i]);
      if (index >= 0) args[index + 1] = override[i + 1];
    }
    const run = await qmfg(args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(option);
  });
});
