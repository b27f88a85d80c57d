// Issue 9 defect 5: under firstToLastPart (the iTrak profile) a window's loading is built from the
// production runs of its plant-local days (see the top of src/core/oee/oee.ts). Through the real app
// (GET /api/oee) and the service with a fixed "now", on each database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { ingestFile } from '../machine-data/ingest.js';
import { LINE8_DAYS, tempFolder, ZONE } from '../../testing/machine-data.js';
import { machinesOee } from './service.js';

const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

/** A camera log of one part every 450 ms over [from, to), plant-local timestamps. */
function cameraLog(from: number, to: number, firstSerial = 1): string {
  const rows: string[] = [];
  let serial = firstSerial;
  for (let at = from; at < to; at += 450) {
    rows.push(`1330700,159070,${serial++},1,${DateTime.fromMillis(at, { zone: ZONE }).toFormat('LL/dd/yy HH:mm:ss.SSS')}`);
  }
  return `${rows.join('\r\n')}\r\n`;
}

describe.each(DIALECTS)('firstToLastPart loading from the production runs of each day (%s)', (dialect) => {
  let t: TestApp;
  const folder = tempFolder('day-runs');

  beforeAll(async () => {
    t = await createTestApp(dialect, 'oee_days');
    for (const path of LINE8_DAYS) await ingestFile(t.database.db, { machine: 'line8', path, zone: ZONE });
  });
  afterAll(async () => {
    folder.remove();
    await t?.close();
  });

  const oee = async (query: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/oee?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().machines[0];
  };

  it('a one-day window 06:00–23:00 keeps the figures of qmfg analyze (59.5 / 80.2 / 74.4 / 99.8 %)', async () => {
    const { totals } = await oee('machine=line8&from=2022-10-11T06:00&to=2022-10-11T23:00');
    expect([totals.oee, totals.availability, totals.performance, totals.quality].map((v: number) => Math.round(v * 1000) / 10)).toEqual([59.5, 80.2, 74.4, 99.8]);
  });

  it('hourly buckets use the day\'s run: the 31–32 min stops at the edges of 10:00 and 19:00 count', async () => {
    const { series, totals } = await oee('machine=line8&from=2022-10-11T00:00&to=2022-10-12T00:00&groupBy=hour');
    const byLabel = new Map(series.map((b: { label: string; availability: number | null }) => [b.label.slice(11), b.availability]));
    expect(byLabel.get('10:00')).toBeGreaterThanOrEqual(0.4);
    expect(byLabel.get('10:00')).toBeLessThanOrEqual(0.55);
    expect(byLabel.get('19:00')).toBeGreaterThanOrEqual(0.4);
    expect(byLabel.get('19:00')).toBeLessThanOrEqual(0.55);
    // the buckets' loading adds up to the day's: nothing counted twice, nothing lost at an hour edge
    const loading = series.reduce((sum: number, b: { loadingSeconds: number }) => sum + b.loadingSeconds, 0);
    expect(Math.abs(loading - totals.loadingSeconds)).toBeLessThan(0.01);
    const loss = series.reduce((sum: number, b: { availabilityLossSeconds: number }) => sum + b.availabilityLossSeconds, 0);
    expect(Math.abs(loss - totals.availabilityLossSeconds)).toBeLessThan(0.01);
  });

  it('a multi-day window sums the days\' runs: closed nights are not stops', async () => {
    const { totals, series } = await oee('machine=line8&from=2022-10-10T00:00&to=2022-10-14T00:00&groupBy=day');
    expect(totals.availability).toBeGreaterThanOrEqual(0.7);
    expect(totals.availability).toBeLessThanOrEqual(0.8);
    const loading = series.reduce((sum: number, b: { loadingSeconds: number }) => sum + b.loadingSeconds, 0);
    expect(Math.abs(loading - totals.loadingSeconds)).toBeLessThan(0.01);
    // four days of roughly 06:00–23:00, not 3 × 24 h + 17 h
    expect(totals.loadingSeconds).toBeLessThan(4 * 17.5 * 3600);
  });

  it('a window that cuts a stop counts only the stop\'s part inside it (stop time, loss, the stops list)', async () => {
    // the stop 10:29:24 → 11:00:56 (31.5 min); the window 10:00–10:45 holds its first 15.6 min
    const listed = await t.app.inject({ method: 'GET', url: '/api/stops?machine=line8&from=2022-10-11T10:00&to=2022-10-11T10:45&minSeconds=300' });
    expect(listed.statusCode, listed.body).toBe(200);
    const [stop] = listed.json().stops;
    expect(stop.seconds).toBeGreaterThan(1890);
    const inside = (local('2022-10-11T10:45') - stop.startMs) / 1000;
    const cut = (await oee('machine=line8&from=2022-10-11T10:00&to=2022-10-11T10:45')).totals;
    expect(cut.stops.classes[3].count).toBe(1);
    expect(cut.stops.classes[3].seconds).toBeCloseTo(inside, 3);
    expect(cut.availabilityLossSeconds).toBeCloseTo(inside, 3);
    expect(cut.availability).toBeCloseTo((cut.loadingSeconds - inside) / cut.loadingSeconds, 3);
    // the other half, 10:45–11:15: the stop's last 15.9 min
    const rest = (await oee('machine=line8&from=2022-10-11T10:45&to=2022-10-11T11:15')).totals;
    expect(rest.stops.classes[3].seconds).toBeCloseTo((stop.endMs - local('2022-10-11T10:45')) / 1000, 3);
    // the stops list says the same: the part of the stop inside the window's loading time, and that it goes on
    expect(stop).toMatchObject({ startsBeforeWindow: false, endsAfterWindow: true });
    expect(stop.countedSeconds).toBeCloseTo(inside, 3);
  });

  it('a machine without cycles has no figures at all (not 0 %, not A 100 %)', async () => {
    const { totals, series } = await oee('machine=line6&from=2022-10-11T00:00&to=2022-10-12T00:00&groupBy=shift');
    for (const result of [totals, ...series]) {
      expect([result.oee, result.availability, result.performance, result.quality, result.parts]).toEqual([null, null, null, null, 0]);
    }
  });

  it('GET /api/oee/rate: rate per second with a centred rolling window; its dip sits on the stop; bounded', async () => {
    const get = (query: string) => t.app.inject({ method: 'GET', url: `/api/oee/rate?machine=line8&${query}` });
    const res = await get('from=2022-10-11T10:00&to=2022-10-11T11:00&rollingSeconds=5');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.at).toHaveLength(3600);
    const rateAt = (iso: string) => body.ratePerMinute[body.at.indexOf(local(iso))];
    // the 31-min stop 10:29:24 → 11:00:56: nothing during it, the line's pace before it
    expect(rateAt('2022-10-11T10:45:00')).toBe(0);
    expect(rateAt('2022-10-11T10:29:30')).toBe(0);
    const before = body.ratePerMinute.slice(0, body.at.indexOf(local('2022-10-11T10:29:00')));
    expect(before.reduce((sum: number, r: number) => sum + r, 0) / before.length).toBeGreaterThan(80);
    const { totals } = await oee('machine=line8&from=2022-10-11T10:00&to=2022-10-11T11:00');
    expect(body.cumulativeGood[body.cumulativeGood.length - 1]).toBe(totals.parts - totals.reworks);
    // bounded: 12 h of seconds at most, and only the offered rolling windows
    const long = await get('from=2022-10-11T06:00&to=2022-10-11T23:00');
    expect(long.statusCode).toBe(400);
    expect(long.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['query.to']);
    const odd = await get('from=2022-10-11T10:00&to=2022-10-11T11:00&rollingSeconds=7');
    expect(odd.statusCode).toBe(400);
    expect(odd.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['query.rollingSeconds']);
  });

  it('"today": a line that ran 20 minutes counts from the start of its shift (06:30)', async () => {
    // a Tuesday of the demo calendar (06:30–14:45, 14:45–23:00); the line ran 11:00–11:20
    const path = join(folder.path, 'PR20260310.txt');
    writeFileSync(path, cameraLog(local('2026-03-10T11:00'), local('2026-03-10T11:20')));
    await ingestFile(t.database.db, { machine: 'line7', path, zone: ZONE });
    const now = local('2026-03-10T11:20:30');
    const today = { machines: ['line7'], from: local('2026-03-10T00:00'), to: local('2026-03-10T11:21') };
    const { totals } = (await machinesOee(t.database.db, ZONE, today, now)).machines[0];
    // loading 06:30 → now = 4 h 50 min 30 s, of which 4 h 30 min before the first part is loss
    expect(totals.loadingSeconds).toBeCloseTo(4 * 3600 + 50 * 60 + 30, 0);
    expect(totals.availabilityLossSeconds).toBeGreaterThanOrEqual(4.5 * 3600);
    expect(totals.availability).toBeLessThan(0.08);
    // the hour 07:00–08:00 of today lies in the open run: a whole hour of availability loss
    const hours = (await machinesOee(t.database.db, ZONE, { ...today, groupBy: 'hour' }, now)).machines[0].series;
    expect(hours.find((b) => b.label.endsWith('T07:00'))).toMatchObject({ loadingSeconds: 3600, availability: 0 });
    expect(hours.find((b) => b.label.endsWith('T05:00'))).toMatchObject({ loadingSeconds: 0, availability: null });
  });

  it('calendar basis, "today": the loading ends at now, not at the end of the shift; the time since the last cycle is a stop', async () => {
    // a Tuesday of the demo calendar (06:30–14:45, 14:45–23:00); the line ran 11:00–11:20
    const path = join(folder.path, 'PR20260310-line6.txt');
    writeFileSync(path, cameraLog(local('2026-03-10T11:00'), local('2026-03-10T11:20')));
    await ingestFile(t.database.db, { machine: 'line6', path, zone: ZONE });
    const now = local('2026-03-10T11:30');
    const day = { machines: ['line6'], profile: 'iso22400', from: local('2026-03-10T00:00'), to: local('2026-03-11T00:00') };
    const { totals } = (await machinesOee(t.database.db, ZONE, day, now)).machines[0];
    // 06:30 → 11:30 = 5 h planned so far, not 06:30 → 23:00
    expect(totals.loadingSeconds).toBe(5 * 3600);
    // 06:30–11:00 before the first cycle and 11:20–11:30 since the last one are stops; nothing of the future
    expect(totals.availabilityLossSeconds).toBeGreaterThanOrEqual(4.5 * 3600 + 600);
    expect(totals.stops.seconds).toBeLessThanOrEqual(totals.loadingSeconds);
    expect(totals.availability).toBeLessThan(0.07);
  });
});
