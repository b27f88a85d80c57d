// Maintenance health and comparative analysis through the real app (fastify.inject) on each
// database, over the real camera logs of Line 7 and Line 8 (10–13 Oct 2022).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { sampleCorrelation } from 'simple-statistics';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE7_DAYS, LINE8_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';
import { correlationAnalysis, machineHealth, maintenanceFindings } from './service.js';
import { hourRows } from '../machine-data/derived-repository.js';

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe.each(DIALECTS)('maintenance and analysis API on %s', (dialect) => {
  let t: TestApp;
  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, 'maint_api');
    for (const [machine, days] of [['line7', LINE7_DAYS], ['line8', LINE8_DAYS]] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/ingest/upload?machine=${machine}`, ...multipartFiles(days.map((path) => ({ name: basename(path), content: readFileSync(path) }))) });
      expect(res.statusCode).toBe(200);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  it('health: MTBF/MTTR per stop class per day, micro-stops per running hour against the baseline before, a verdict with reasons', async () => {
    const { status, body } = await get('/api/machines/line7/health?from=2022-10-12T00:00&to=2022-10-14T00:00&baselineFrom=2022-10-10T00:00&driftBucket=hour');
    expect(status).toBe(200);
    expect(body.classes.map((c: { name: string }) => c.name)).toEqual(['micro', 'short', 'medium', 'long']);
    expect(body.classes[0].series.map((s: { label: string }) => s.label)).toEqual(['2022-10-12', '2022-10-13']);
    // the counts are the OEE feature's for the same window and profile
    const oee = await get('/api/oee?machine=line7&from=2022-10-12T00:00&to=2022-10-14T00:00');
    const totals = oee.body.machines[0].totals;
    expect(body.profile).toBe(oee.body.machines[0].profile);
    body.classes.forEach((c: { totals: { count: number; runSeconds: number; mtbfSeconds: number | null } }, i: number) => {
      expect(c.totals.count).toBe(totals.stops.classes[i].count);
      expect(c.totals.runSeconds).toBeCloseTo(totals.runSeconds, 3);
    });
    const micro = body.classes[0];
    expect(micro.totals.count).toBeGreaterThan(100);
    expect(micro.totals.mtbfSeconds).toBeCloseTo(totals.runSeconds / totals.stops.classes[0].count, 6);
    // 2 days by day: too few buckets for a trend
    expect(micro.mtbfTrend.direction).toBe('unknown');
    // hourly drift: 48 monitored hours; the baseline is 10–11 Oct only
    expect(body.microStops.series).toHaveLength(48);
    expect(body.microStops.baseline).toMatchObject({ from: new Date(local('2022-10-10T00:00')).toISOString(), to: new Date(local('2022-10-12T00:00')).toISOString() });
    expect(body.microStops.baseline.buckets).toBeGreaterThanOrEqual(7);
    const working = body.microStops.series.filter((s: { runningHours: number }) => s.runningHours > 0.5);
    expect(working.length).toBeGreaterThan(20);
    const expected = working.reduce((sum: number, s: { count: number }) => sum + s.count, 0);
    expect(expected).toBeLessThanOrEqual(micro.totals.count);
    expect(['ok', 'watch', 'maintenance suggested']).toContain(body.verdict);
    expect(body.reasons.length).toBeGreaterThan(0);
    if (body.verdict === 'maintenance suggested') expect(body.findings[0].text).toMatch(/^Maintenance suggested: micro-stops per running hour on line7 rose to/);
    // running hours come from the derived hour rows (machine data is the owner; we only read)
    const hours = await hourRows(t.database.db, 'line7', local('2022-10-12T00:00'), local('2022-10-14T00:00'));
    expect(hours.length).toBeGreaterThan(20);
  });

  it('health: no baseline before the data → watch, saying why; 404 unknown machine; 400 with field paths', async () => {
    const early = await get('/api/machines/line8/health?from=2022-10-10T00:00&to=2022-10-14T00:00');
    expect(early.status).toBe(200);
    expect(early.body.verdict).toBe('watch');
    expect(early.body.reasons.join(' ')).toMatch(/Not enough baseline/);
    expect(early.body.classes[0].series).toHaveLength(4);
    expect((await get('/api/machines/line77/health?from=2022-10-12T00:00&to=2022-10-13T00:00')).status).toBe(404);
    const badBaseline = await get('/api/machines/line7/health?from=2022-10-12T00:00&to=2022-10-13T00:00&baselineFrom=2022-10-12T05:00');
    expect(badBaseline.status).toBe(400);
    expect(badBaseline.body.error.fields[0].path).toBe('query.baselineFrom');
    const badGroup = await get('/api/machines/line7/health?groupBy=month');
    expect(badGroup.status).toBe(400);
    expect(badGroup.body.error.fields[0].path).toBe('query.groupBy');
  });

  it('correlation: scatter, Pearson/Spearman on n_eff, lag search and words; the r is the points\' r', async () => {
    const { status, body } = await get('/api/analysis/correlation?machine=line7&x=rate&y=micro-stops&from=2022-10-10T00:00&to=2022-10-14T00:00&bucket=hour');
    expect(status).toBe(200);
    expect(body.correlation.n).toBe(body.points.length);
    expect(body.points.length).toBeGreaterThanOrEqual(30);
    expect(body.correlation.nEff).toBeLessThanOrEqual(body.correlation.n);
    const r = sampleCorrelation(body.points.map((p: { x: number }) => p.x), body.points.map((p: { y: number }) => p.y));
    expect(body.correlation.pearson.r).toBeCloseTo(r, 9);
    expect(body.lags.tried).toBe(13);
    expect(body.words.text).toMatch(/^Compared rate while running with micro-stops per running hour, per hour \(\d+ hours/);
    expect(body.fit).not.toBeNull();
    // a machine cannot both stop more often and run faster in the same hours: a negative relation, if any
    if (body.words.strength !== 'no evidence of') expect(body.correlation.pearson.r).toBeLessThan(0);
  });

  it('correlation: too few buckets is refused in words, not guessed', async () => {
    const { body } = await get('/api/analysis/correlation?machine=line7&x=rework-rate&y=empty-rate&from=2022-10-12T00:00&to=2022-10-14T00:00&bucket=day');
    expect(body.words.strength).toBe('insufficient data');
    expect(body.words.text).toMatch(/too few days with both values \(2\) to say anything; need ≥ 30/);
  });

  it('correlation: 400 for unknown metrics and channels (field path); 404 unknown machine', async () => {
    const bogus = await get('/api/analysis/correlation?machine=line7&x=bogus&y=rate&from=2022-10-12T00:00&to=2022-10-13T00:00');
    expect(bogus.status).toBe(400);
    expect(bogus.body.error.fields).toEqual([{ path: 'query.x', message: expect.stringMatching(/unknown metric 'bogus': use one of rate, micro-stops/) }]);
    const channel = await get('/api/analysis/correlation?machine=line7&x=rate&y=channel:temp-1:mean&from=2022-10-12T00:00&to=2022-10-13T00:00');
    expect(channel.status).toBe(400);
    // the app reads channels through the SPC feature: line7 has no channel temp-1
    expect(channel.body.error.fields[0]).toMatchObject({ path: 'query.y', message: "unknown channel 'temp-1'" });
    expect((await get('/api/analysis/correlation?machine=line7&x=rate&y=rate&maxLag=99')).body.error.fields[0].path).toBe('query.maxLag');
    expect((await get('/api/analysis/correlation?machine=line77&x=rate&y=rate')).status).toBe(404);
    const metrics = await get('/api/analysis/metrics');
    expect(metrics.body.map((m: { metric: string }) => m.metric)).toEqual(['rate', 'micro-stops', 'stops', 'rework-rate', 'empty-rate', 'availability', 'channel:<key>:mean']);
  });

  it('channel metrics plug in by a function parameter (the measurements feature is not imported)', async () => {
    const asked: string[] = [];
    // a channel that is exactly the machine's hour index: the finding must reach it through the parameter
    const channels = async (_db: unknown, machine: string, channel: string, statistic: 'mean' | 'sd', buckets: readonly { from: number; to: number }[]) => {
      asked.push(`${machine}/${channel}:${statistic}:${buckets.length}`);
      return channel === 'temp-1' ? buckets.map((b) => (b.from - buckets[0].from) / 3_600_000) : null;
    };
    const result = await correlationAnalysis(t.database.db, ZONE, { machine: 'line7', x: 'channel:temp-1:mean', y: 'channel:temp-1:mean', from: local('2022-10-10T00:00'), to: local('2022-10-14T00:00'), bucket: 'hour' }, Date.now(), { channels });
    expect(asked).toEqual(['line7/temp-1:mean:96', 'line7/temp-1:mean:96']);
    expect(result.correlation.pearson?.r).toBeCloseTo(1, 9);
    await expect(correlationAnalysis(t.database.db, ZONE, { machine: 'line7', x: 'channel:nope:sd', y: 'rate', from: local('2022-10-12T00:00'), to: local('2022-10-13T00:00') }, Date.now(), { channels })).rejects.toMatchObject({
      fields: [{ path: 'query.x', message: "unknown channel 'nope'" }],
    });
  });

  it('channel drift plugs in too: a channel whose mean steps up on 13 Oct is a finding', async () => {
    const stats = async (_db: unknown, machine: string, buckets: readonly { label: string; from: number; to: number }[]) => {
      expect(machine).toBe('line7');
      // 60 readings per hour around 20 (a deterministic wobble), +3 from 13 Oct noon
      return [{
        channel: 'temp-1',
        buckets: buckets.map((b) => {
          const level = 20 + 0.2 * Math.sin(b.from / 3_600_000) + (b.from >= local('2022-10-13T12:00') ? 3 : 0);
          return { label: b.label, n: 60, sum: 60 * level, sumSq: 60 * level * level + 59 };
        }),
      }];
    };
    const health = await machineHealth(t.database.db, ZONE, { machine: 'line7', from: local('2022-10-12T00:00'), to: local('2022-10-14T00:00'), driftBucket: 'hour', baselineFrom: local('2022-10-10T00:00') }, Date.now(), undefined, stats);
    const channel = health.findings.find((f) => f.kind === 'channel mean');
    expect(channel?.text).toMatch(/^Maintenance suggested: the mean of channel temp-1 shifted up since 2022-10-13T1[12]:00/);
    expect(health.verdict).toBe('maintenance suggested');
  });

  it('compare: one metric on two machines side by side; exactly two machines', async () => {
    const { status, body } = await get('/api/analysis/compare?machines=line7,line8&metric=micro-stops&from=2022-10-10T00:00&to=2022-10-14T00:00&bucket=hour');
    expect(status).toBe(200);
    expect(body.series.map((s: { machine: string }) => s.machine)).toEqual(['line7', 'line8']);
    expect(body.series[0].values).toHaveLength(body.labels.length);
    expect(body.series[1].values).toHaveLength(96);
    expect(body.series[0].mean).toBeGreaterThan(0);
    expect(body.words.text).toMatch(/^Compared micro-stops per running hour on line7 with micro-stops per running hour on line8, per hour/);
    const one = await get('/api/analysis/compare?machines=line7&metric=rate');
    expect(one.status).toBe(400);
    expect(one.body.error.fields[0].path).toBe('query.machines');
  });

  it('reading needs a session; maintenanceFindings for the alert engine', async () => {
    expect((await t.anonymous({ method: 'GET', url: '/api/machines/line7/health' })).statusCode).toBe(401);
    const findings = await maintenanceFindings(t.database.db, 'line7', local('2022-10-14T00:00'), ZONE);
    expect(Array.isArray(findings)).toBe(true);
    for (const finding of findings) expect(finding.text).toMatch(/^Maintenance suggested/);
  });
});
