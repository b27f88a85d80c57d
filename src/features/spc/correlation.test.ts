// Comparative analysis end to end (issue 14 item 4): a film-thickness channel whose level leads the
// machine's micro-stops by 20 minutes is found with that lead through GET /api/analysis/correlation
// (10-min buckets, the channel read through the SPC feature, the micro-stops from the camera data);
// a channel of unrelated readings is reported as not correlated. The cycles are written as the
// camera writes them and ingested through machine data's own door.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { tempFolder, ZONE } from '../../testing/machine-data.js';
import { mulberry32 } from '../../core/random.js';
import { ingestFile } from '../machine-data/ingest.js';
import { ingestMeasurements } from '../measurements/service.js';

const MINUTE = 60_000;
const BUCKET = 10 * MINUTE;
/** a past working day of the demo plant, 06:30–23:00 */
const DAY_START = DateTime.fromISO('2026-11-17T06:30:00', { zone: ZONE }).toMillis();
const BUCKETS = 99; // 16.5 h
const LEAD_BUCKETS = 2; // 20 min

describe('correlation of a channel with micro-stops (sqlite)', () => {
  let t: TestApp;
  const folder = tempFolder('spc-correlation');
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'spc-corr');
    const random = mulberry32(2026);
    const channel = (key: string) => ({ key, name: key, quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.121, usl: 0.129, samplePeriodSeconds: 10, source: { kind: 'mqtt' } });
    for (const key of ['film', 'unrelated']) expect((await t.app.inject({ method: 'POST', url: '/api/machines/line7/channels', payload: channel(key) })).statusCode).toBe(201);
    // the film's level per 10 min, and how many micro-stops it causes 20 min later
    const level = Array.from({ length: BUCKETS }, () => 0.123 + 0.004 * random());
    const stopsIn = (bucket: number) => (bucket < LEAD_BUCKETS ? 3 : Math.round(2 + (20 * (level[bucket - LEAD_BUCKETS] - 0.123)) / 0.004));
    const samples: { channel: string; at: number; value: number }[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      for (let at = DAY_START + b * BUCKET; at < DAY_START + (b + 1) * BUCKET; at += 10_000) {
        samples.push({ channel: 'film', at, value: level[b] + 0.0002 * (random() - 0.5) });
        samples.push({ channel: 'unrelated', at, value: 0.125 + 0.002 * (random() - 0.5) });
      }
    }
    await ingestMeasurements({ db: t.database.db, zone: ZONE }, [{ machine: 'line7', name: 'test', samples }], { who: { actor: 'test' }, action: 'import' });
    // camera cycles every 450 ms, with each bucket's micro-stops (5 s) at random moments
    const path = join(folder.path, 'line7-PR20261117.txt');
    let serial = 1;
    for (let b = 0; b < BUCKETS; b++) {
      const from = DAY_START + b * BUCKET;
      const stopsAt = new Set(Array.from({ length: stopsIn(b) }, () => Math.floor(random() * 1200)));
      const lines: string[] = [];
      let at = from;
      for (let i = 0; at < from + BUCKET - 6000; i++) {
        lines.push(`1169100,159159,${serial++},1,${DateTime.fromMillis(at, { zone: ZONE }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
        at += stopsAt.has(i) ? 5000 : 450;
      }
      appendFileSync(path, `${lines.join('\n')}\n`);
    }
    const result = await ingestFile(t.database.db, { machine: 'line7', path, zone: ZONE, final: true });
    expect(result.errorCount).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    folder.remove();
  });

  const analyse = async (x: string) => {
    const from = encodeURIComponent(DateTime.fromMillis(DAY_START, { zone: ZONE }).toFormat("yyyy-LL-dd'T'HH:mm"));
    const to = encodeURIComponent(DateTime.fromMillis(DAY_START + BUCKETS * BUCKET, { zone: ZONE }).toFormat("yyyy-LL-dd'T'HH:mm"));
    const res = await t.app.inject({ url: `/api/analysis/correlation?machine=line7&x=${x}&y=micro-stops&bucket=10min&maxLag=6&from=${from}&to=${to}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('finds the channel leading micro-stops by 20 min (2 ten-minute buckets), in words', async () => {
    const answer = await analyse('channel:film:mean');
    expect(answer.points.length).toBeGreaterThanOrEqual(90);
    expect(answer.lags.lead).toBe(LEAD_BUCKETS);
    expect(answer.lags.best.estimate.r).toBeGreaterThan(0.5);
    expect(answer.words.text).toMatch(/lead|ahead|earlier/i);
  });

  it('reports an unrelated channel as not correlated and names no lead', async () => {
    const answer = await analyse('channel:unrelated:mean');
    expect(answer.lags.lead).toBeNull();
    expect(['no evidence of', 'insufficient data', 'weak']).toContain(answer.words.strength);
    expect(answer.words.strength).not.toBe('strong');
  });
});
