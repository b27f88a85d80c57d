// `qmfg monitor` end to end, through the real CLI entry in a child process, on hand-written .lvm and
// CSV files in a temp dir (src/testing/measurement-files.ts writes them from seeded series).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filmSeries, lvmText, type SeriesSample } from '../testing/measurement-files.js';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ZONE = 'America/Los_Angeles';
const REPORT_KEYS = ['samples', 'mean', 'sd', 'cp', 'cpk', 'limits', 'signals', 'outOfSpec', 'findings'];
const ISO_WITH_OFFSET = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?[+-]\d\d:\d\d$/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Report {
  samples: number;
  mean: number;
  sd: number;
  cp: number | null;
  cpk: number | null;
  limits: { center: number; lcl: number; ucl: number };
  signals: { rule: string; at: string; value: number }[];
  outOfSpec: { below: number; above: number };
  findings: { spikes: number; stuck: number; gaps: number };
}

const qmfg = (args: string[], env: Record<string, string> = {}) => runQmfg(['monitor', ...args], { QMFG_TZ: '', ...env });

async function report(args: string[], env: Record<string, string> = {}): Promise<Report> {
  const run = await qmfg([...args, '--json'], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

const local = (text: string, zone = ZONE) => DateTime.fromISO(text, { zone }).toMillis();
const millis = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

let scratch: string;
const path = (name: string) => join(scratch, name);
// 6 h of 1 Hz readings from 06:00 plant-local, little wander and no spikes: a stable channel; from
// 09:00 on the same series moved up by 0.0015 mm (about 3 σ of a reading, far more of a 5-min mean).
// Even a stable process trips the Western Electric rules by chance (ARL₀ ≈ 92 subgroups, more with
// limits from a short baseline): seed 3 is one whose 6 stable hours give no chance signal, so that
// "none before the shift" tests the method and not the luck (30 seeds: 105 signals in 180 h).
const START = local('2026-10-05T06:00');
const SHIFT_AT = local('2026-10-05T09:00');
const stableOptions = { seed: 3, start: START, count: 6 * 3600, wanderSd: 0.00002, whiteSd: 0.0005, spikeRate: 0 };
let stable: SeriesSample[];
let shifted: SeriesSample[];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qmfg-monitor-'));
  stable = filmSeries(stableOptions);
  shifted = filmSeries({ ...stableOptions, shift: { at: SHIFT_AT, by: 0.0015 } });
  await writeFile(path('stable.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples: stable }], zone: ZONE }));
  await writeFile(path('shift.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples: shifted }], zone: ZONE }));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('qmfg monitor --json', () => {
  it('signals a shift injected at a known instant after it and never before, with limits from a baseline before it', async () => {
    const result = await report([path('shift.lvm'), '--channel', 'Film thickness', '--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T09:00', '--tz', ZONE]);
    expect(result.samples).toBe(6 * 3600);
    expect(result.signals.length).toBeGreaterThan(0);
    for (const signal of result.signals) expect(millis(signal.at), signal.at).toBeGreaterThanOrEqual(SHIFT_AT);
    // the first subgroup after the step already sits far above the limits of the baseline
    expect(millis(result.signals[0].at) - SHIFT_AT).toBeLessThanOrEqual(15 * 60_000);
    expect(result.signals[0].value).toBeGreaterThan(result.limits.ucl);
    // limits came from the baseline only: the centre is the stable level, not pulled up by the shift
    expect(Math.abs(result.limits.center - 0.125)).toBeLessThan(0.0003);
    // the same stable series without the shift: no signal at all
    const calm = await report([path('stable.lvm'), '--channel', 'Film thickness', '--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T09:00', '--tz', ZONE]);
    expect(calm.signals).toEqual([]);
  });

  it('prints exactly the contract keys in order; signals in time order with ISO instants offset in the plant zone', async () => {
    const result = await report([path('shift.lvm'), '--channel', 'film thickness', '--lsl', '0.12', '--usl', '0.13', '--tz', ZONE, '--baseline-to', '2026-10-05T09:00']);
    expect(Object.keys(result)).toEqual(REPORT_KEYS);
    expect(Object.keys(result.limits)).toEqual(['center', 'lcl', 'ucl']);
    expect(Object.keys(result.outOfSpec)).toEqual(['below', 'above']);
    expect(Object.keys(result.findings)).toEqual(['spikes', 'stuck', 'gaps']);
    expect(result.limits.lcl).toBeLessThan(result.limits.center);
    expect(result.limits.ucl).toBeGreaterThan(result.limits.center);
    expect(result.signals.length).toBeGreaterThan(0);
    for (const signal of result.signals) {
      expect(Object.keys(signal)).toEqual(['rule', 'at', 'value']);
      expect(signal.at).toMatch(ISO_WITH_OFFSET);
      // October in Los Angeles: PDT
      expect(signal.at.endsWith('-07:00')).toBe(true);
    }
    const instants = result.signals.map((s) => millis(s.at));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));
    // the means chart and the EWMA drift detector both speak
    expect(new Set(result.signals.map((s) => s.rule))).toContain('ewma-drift');
    expect(result.signals.some((s) => /^we[1-4]$/.test(s.rule))).toBe(true);
    // mean and sd of every reading (no spikes or stuck runs in this series)
    expect(result.mean).toBeCloseTo(mean(shifted.map((s) => s.value)), 10);
    expect(typeof result.cp).toBe('number');
    expect(result.cpk!).toBeLessThanOrEqual(result.cp!);
  });

  it('counts readings out of spec apart from the signals; spikes count as samples, never as signals', async () => {
    // the stable series with three single-reading spikes far above the USL at known instants
    const spikes = [3600, 7200, 10_800];
    const withSpikes = stable.map((s, i) => (spikes.includes(i) ? { at: s.at, value: 0.1350 } : s));
    await writeFile(path('spikes.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples: withSpikes }], zone: ZONE }));
    const lsl = 0.1243;
    const usl = 0.1258;
    const result = await report([path('spikes.lvm'), '--channel', 'Film thickness', '--lsl', String(lsl), '--usl', String(usl), '--tz', ZONE]);
    expect(result.samples).toBe(withSpikes.length);
    expect(result.findings.spikes).toBeGreaterThanOrEqual(3);
    const kept = stable.filter((_, i) => !spikes.includes(i)).map((s) => s.value);
    expect(result.outOfSpec).toEqual({ below: kept.filter((v) => v < lsl).length, above: kept.filter((v) => v > usl).length });
    expect(result.outOfSpec.below).toBeGreaterThan(100);
    expect(result.signals).toEqual([]);
    // Cp = (USL − LSL) / 6σ_within, about 0.0015 / (6 × 0.0005)
    expect(result.cp!).toBeGreaterThan(0.4);
    expect(result.cp!).toBeLessThan(0.6);
    // without a spec there is no capability
    const noSpec = await report([path('spikes.lvm'), '--channel', 'Film thickness', '--tz', ZONE]);
    expect(noSpec.cp).toBeNull();
    expect(noSpec.cpk).toBeNull();
    expect(noSpec.outOfSpec).toEqual({ below: 0, above: 0 });
  });

  it('reads a decimal-comma .lvm like its decimal-point twin; header times are plant-local (--tz, else QMFG_TZ)', async () => {
    const berlin = 'Europe/Berlin';
    const samples = filmSeries({ ...stableOptions, start: local('2026-10-05T06:00', berlin), shift: { at: local('2026-10-05T09:00', berlin), by: 0.0015 } });
    await writeFile(path('comma.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples }], zone: berlin, decimal: ',' }));
    await writeFile(path('point.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples }], zone: berlin }));
    const comma = await report([path('comma.lvm'), '--channel', 'Film thickness', '--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T09:00'], { QMFG_TZ: berlin });
    const point = await report([path('point.lvm'), '--channel', 'Film thickness', '--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T09:00', '--tz', berlin]);
    expect(comma).toEqual(point);
    expect(comma.samples).toBe(samples.length);
    expect(comma.mean).toBeCloseTo(mean(samples.map((s) => s.value)), 10);
    // CEST: +02:00, and the step at 09:00 Berlin time
    expect(comma.signals[0].at.endsWith('+02:00')).toBe(true);
    expect(millis(comma.signals[0].at)).toBeGreaterThanOrEqual(local('2026-10-05T09:00', berlin));
  });

  it('reads a CSV through a --mapping (named columns, a local time format, decimal comma) like the .lvm of the same readings', async () => {
    const rows = shifted.map((s) => `${DateTime.fromMillis(s.at, { zone: ZONE }).toFormat('dd.MM.yyyy HH:mm:ss')};${s.value.toFixed(5).replace('.', ',')};21,5`);
    await writeFile(path('gauge.csv'), `Zeit;Dicke;Raum\n${rows.join('\n')}\n`);
    const mapping = { delimiter: ';', decimal: ',', timestamp: { column: 'Zeit', format: 'dd.MM.yyyy HH:mm:ss' }, columns: [{ column: 'Dicke', channel: 'film-thickness' }, { column: 'Raum', channel: 'room' }] };
    await writeFile(path('mapping.json'), JSON.stringify(mapping));
    const args = ['--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T09:00', '--tz', ZONE];
    const csv = await report([path('gauge.csv'), '--channel', 'FILM-THICKNESS', '--mapping', path('mapping.json'), ...args]);
    const lvm = await report([path('shift.lvm'), '--channel', 'Film thickness', ...args]);
    expect(csv).toEqual(lvm);
  }, 90_000);

  it('accepts --subgroup 30s and 1h and --rules nelson', async () => {
    const fine = await report([path('shift.lvm'), '--channel', 'Film thickness', '--subgroup', '30s', '--rules', 'nelson', '--tz', ZONE]);
    expect(fine.samples).toBe(6 * 3600);
    expect(fine.signals.some((s) => s.rule.startsWith('nelson'))).toBe(true);
    // one-hour subgroups need 20 hours of baseline: a day of readings, shifted in its last 4 hours
    const day = filmSeries({ ...stableOptions, count: 24 * 3600, shift: { at: START + 20 * 3_600_000, by: 0.0015 } });
    await writeFile(path('day.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples: day }], zone: ZONE }));
    const coarse = await report([path('day.lvm'), '--channel', 'Film thickness', '--subgroup', '1h', '--tz', ZONE]);
    expect(coarse.samples).toBe(24 * 3600);
    expect(coarse.signals.length).toBeGreaterThan(0);
    // every signal on a whole hour (windows aligned to the hour), none before the shift
    for (const signal of coarse.signals) {
      expect(signal.at).toMatch(/T\d\d:00:00/);
      expect(millis(signal.at)).toBeGreaterThanOrEqual(START + 20 * 3_600_000);
    }
    // 30 s means of 30 readings vary more than 1 h means of 3 600: wider limits
    expect(fine.limits.ucl - fine.limits.center).toBeGreaterThan(coarse.limits.ucl - coarse.limits.center);
  });
});

describe('qmfg monitor: bad input', () => {
  it('reports bad lines as file:line: reason on stderr and uses the good ones', async () => {
    const good = stable.slice(0, 3 * 3600);
    const text = lvmText({ channels: [{ name: 'Film thickness', samples: good }], zone: ZONE });
    const lines = text.split('\n');
    // line 24 is the first data row (23 header lines): make rows 2 and 3 bad, then a truncated last line
    lines[24] = '1.000\tabc';
    lines[25] = '2.000\t0,125';
    await writeFile(path('bad.lvm'), `${lines.join('\n')}10801.000\t0.12`);
    const run = await qmfg([path('bad.lvm'), '--channel', 'Film thickness', '--tz', ZONE, '--json']);
    expect(run.code).toBe(0);
    const errors = run.stderr.trim().split('\n');
    expect(errors).toEqual([
      `${path('bad.lvm')}:25: value 'abc' of channel 'Film thickness' is not a number`,
      `${path('bad.lvm')}:26: value '0,125' of channel 'Film thickness' is not a number`,
    ]);
    // the truncated last line still holds a number: it is a reading (a complete file is read to its end)
    expect((JSON.parse(run.stdout) as Report).samples).toBe(good.length - 2 + 1);
  });

  it('an unknown channel: exit 1 with one line listing the channels found', async () => {
    await writeFile(path('two.lvm'), lvmText({ channels: [{ name: 'Film thickness', samples: stable.slice(0, 600) }, { name: 'Seal temperature', unit: '°C', samples: stable.slice(0, 600) }], zone: ZONE }));
    const run = await qmfg([path('two.lvm'), '--channel', 'vacuum', '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`qmfg: --channel: no channel "vacuum" in ${path('two.lvm')} (channels found: Film thickness, Seal temperature)\n`);
  });

  it('a file without data for the channel, and a binary file: exit 1 naming the file', async () => {
    const header = lvmText({ channels: [{ name: 'Film thickness', samples: stable.slice(0, 2) }], zone: ZONE }).split('\n').slice(0, 23).join('\n');
    await writeFile(path('empty.lvm'), `${header}\n`);
    const empty = await qmfg([path('stable.lvm'), path('empty.lvm'), '--channel', 'Film thickness', '--json']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toBe(`qmfg: ${path('empty.lvm')}: no data for channel "Film thickness"\n`);

    await writeFile(path('blob.lvm'), Buffer.from([0x4c, 0x61, 0x00, 0xff, 0x10, 0x00, 0x0a, 0x89, 0x50, 0x4e, 0x47]));
    const binary = await qmfg([path('blob.lvm'), '--channel', 'Film thickness', '--json']);
    expect(binary.code).toBe(1);
    expect(binary.stderr).toBe(`qmfg: ${path('blob.lvm')}: a binary file, not a measurement file (.lvm or CSV text)\n`);

    const missing = await qmfg([path('nope.lvm'), '--channel', 'Film thickness']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`qmfg: file not found: ${path('nope.lvm')}\n`);
  });

  it('bad options: exit 1 with one line naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['--subgroup', '5x'], /^qmfg: --subgroup "5x" is not a duration such as 5m, 30s or 1h\n$/],
      [['--subgroup', '0m'], /^qmfg: --subgroup "0m"/],
      [['--baseline-from', 'yesterday'], /^qmfg: --baseline-from "yesterday" is not a plant-local date-time/],
      [['--baseline-to', '2026-13-01'], /^qmfg: --baseline-to "2026-13-01" is not a plant-local date-time/],
      [['--rules', 'iso'], /^qmfg: --rules "iso" is not we \(Western Electric\) or nelson\n$/],
      [['--lsl', 'low'], /^qmfg: --lsl "low" is not a number\n$/],
      [['--lsl', '0.13', '--usl', '0.12'], /^qmfg: --usl \(0.12\) must be above --lsl \(0.13\)\n$/],
      [['--tz', 'Mars/Olympus'], /^qmfg: --tz: unknown time zone "Mars\/Olympus"/],
      // a baseline window without 20 subgroups in it
      [['--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T07:00'], /^qmfg: --baseline-from\/--baseline-to: the baseline has \d+ usable subgroups of 5 min; at least 20 are needed\n$/],
    ];
    for (const [options, message] of cases) {
      // (a later --tz wins over the first)
      const run = await qmfg([path('stable.lvm'), '--channel', 'Film thickness', '--tz', ZONE, ...options, '--json']);
      expect(run.code, options.join(' ')).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr, options.join(' ')).toMatch(message);
    }
  }, 120_000);

  it('without --json: a short human summary', async () => {
    const run = await qmfg([path('shift.lvm'), '--channel', 'Film thickness', '--lsl', '0.12', '--usl', '0.13', '--tz', ZONE, '--baseline-from', '2026-10-05T06:00', '--baseline-to', '2026-10-05T09:00']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Film thickness · 21,600 readings from 1 file \(America\/Los_Angeles\)\n/);
    expect(run.stdout).toMatch(/\d+ signals?:\n {2}2026-10-05T09:\d\d:00-07:00 {2}\S+/);
    expect(run.stdout.split('\n').length).toBeLessThan(30);
  });
});
