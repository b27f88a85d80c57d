// Production events carry per-machine deltas (issue 12 item 5), on every dialect: a real upload of
// cycles on a loaded lot publishes one 'production' event whose delta for the machine holds the
// run state, the lot, the job's produced / remaining / forecast end and the counts of the day, the
// shift and the last 15 minutes — what the screens apply in place. The notifier sends production
// within a second while the re-plan waits for its own throttle; the forecast recorder's view of the
// topic stays at the slow pace.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestApp, type AuthTestApp } from '../../testing/auth.js';
import { DIALECTS } from '../../testing/databases.js';
import { multipartFiles } from '../../testing/machine-data.js';
import { EventHub } from '../../server/events.js';
import { ProductionNotifier, SILENT_LOG } from '../machine-data/notifier.js';
import { productionDeltas } from './production.js';
import { productionEventDataSchema } from './schemas.js';
import { settledProduction } from './follow.js';

describe.each(DIALECTS)('production deltas on %s', (dialect) => {
  let t: AuthTestApp;
  beforeAll(async () => {
    t = await createAuthTestApp(dialect, 'live');
  });
  afterAll(async () => t?.close());

  it('an upload publishes one production event with the machine\'s delta, worked out once for every stream', async () => {
    const zone = t.deps.config.QMFG_TZ;
    const lot = String(DIALECTS.indexOf(dialect) + 772001);
    expect((await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot, product: 'flu-ab', quantity: 1000 } })).statusCode).toBe(201);
    expect((await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine: 'line8', mode: 'insert', position: 0 } })).statusCode).toBeLessThan(300);
    const events: { topic: string; data?: unknown }[] = [];
    const unsubscribe = t.deps.events.subscribe((event) => events.push(event));
    // 300 parts, one every 1.2 s, the last 10 s ago
    const now = Date.now();
    const lines = Array.from({ length: 300 }, (_, i) => `1169100,${lot},${String(200000 + i)},1,${DateTime.fromMillis(now - 10_000 - (299 - i) * 1200, { zone }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    const upload = await t.inject({ method: 'POST', url: '/api/ingest/upload?machine=line8', ...multipartFiles([{ name: 'PRLIVE.txt', content: Buffer.from(lines.join('\r\n') + '\r\n') }]) });
    expect(upload.statusCode, upload.body).toBe(200);
    await t.deps.events.idle();
    unsubscribe();

    const production = events.filter((event) => event.topic === 'production');
    expect(production).toHaveLength(1);
    const data = productionEventDataSchema.parse(production[0].data);
    expect(data.machines).toEqual(['line8']);
    expect(data.cycles).toBe(300);
    expect(data.deltas).toHaveLength(1);
    const [delta] = data.deltas!;
    const lastAt = DateTime.fromFormat(lines[299].split(',')[4], 'MM/dd/yy HH:mm:ss.SSS', { zone }).toMillis();
    expect(delta.machine).toBe('line8');
    expect(delta.run).toMatchObject({ machine: 'line8', state: 'running', lastCycleAt: lastAt });
    expect(delta.lot).toMatchObject({ lot, machine: 'line8', parts: 300, produced: 300, lastAt });
    expect(delta.job).toMatchObject({ lot, step: 0, state: 'running', quantity: 1000, produced: 300, remaining: 700 });
    // the re-plan of the upload ran before the event: the job's planned end is the board's
    const operation = await t.database.db.selectFrom('operations').select(['forecast_end']).where('lot', '=', lot).where('step', '=', 0).executeTakeFirstOrThrow();
    expect(delta.job!.forecastEnd).toBe(operation.forecast_end === null ? null : Number(operation.forecast_end));
    // 6 minutes of parts: every one within the last 15 minutes (300 per 15 min = 1200/h)
    expect(delta.ratePerHour).toBe(1200);
    const dayStart = DateTime.fromMillis(now, { zone }).startOf('day').toMillis();
    const firstAt = lastAt - 299 * 1200;
    expect(delta.partsToday).toBe(firstAt >= dayStart ? 300 : lines.filter((line) => DateTime.fromFormat(line.split(',')[4], 'MM/dd/yy HH:mm:ss.SSS', { zone }).toMillis() >= dayStart).length);
    if (delta.shift) expect(delta.partsShift).toBeLessThanOrEqual(delta.partsToday);
    else expect(delta.partsShift).toBeNull();
  });

  it('counts a day, a shift and the 15-minute rate at a fixed instant; unknown machines are left out', async () => {
    const zone = t.deps.config.QMFG_TZ;
    // the demo calendar works 06:30–23:00: at 10:00 the shift started 06:30
    const at = DateTime.fromISO('2026-11-18T10:00:00', { zone }).toMillis();
    const lot = String(DIALECTS.indexOf(dialect) + 773001);
    // 20 parts at 05:50 (before the shift), 40 at 09:50–09:51 (inside the last 15 minutes)
    const early = Array.from({ length: 20 }, (_, i) => at - 4 * 3600_000 - 10 * 60_000 + i * 1000);
    const recent = Array.from({ length: 40 }, (_, i) => at - 10 * 60_000 + i * 1000);
    const lines = [...early, ...recent].map((ms, i) => `1169100,${lot},${String(300000 + i)},1,${DateTime.fromMillis(ms, { zone }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    const upload = await t.inject({ method: 'POST', url: '/api/ingest/upload?machine=line9', ...multipartFiles([{ name: 'PRFIXED.txt', content: Buffer.from(lines.join('\n') + '\n') }]) });
    expect(upload.statusCode, upload.body).toBe(200);
    const deltas = await productionDeltas(t.database.db, zone, ['line9', 'no-such-machine'], at);
    expect(deltas.map((d) => d.machine)).toEqual(['line9']);
    expect(deltas[0]).toMatchObject({ partsToday: 60, partsShift: 40, ratePerHour: 160, shift: { from: DateTime.fromISO('2026-11-18T06:30:00', { zone }).toMillis(), to: at } });
    expect(deltas[0].lot).toMatchObject({ lot, parts: 60 });
  });
});

describe('the production throttles', () => {
  it('the notifier sends an interim production event within a second and re-plans on its slower throttle', async () => {
    const t = await createAuthTestApp('sqlite', 'live-notifier');
    try {
      const hub = new EventHub();
      const seen: { topic: string; at: number; data?: unknown }[] = [];
      hub.subscribe((event) => seen.push({ topic: event.topic, at: Date.now(), data: event.data }));
      const settled: unknown[] = [];
      settledProduction(hub).subscribe((event) => {
        if (event.topic === 'production') settled.push(event.data);
      });
      const notifier = new ProductionNotifier(t.database.db, t.deps.config.QMFG_TZ, hub, SILENT_LOG, 3000, 300);
      const start = Date.now();
      notifier.add({ machines: ['line7'], cycles: 5, operationsUpdated: 1 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      notifier.add({ machines: ['line8'], cycles: 4, operationsUpdated: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const interim = seen.filter((event) => event.topic === 'production' && (event.data as { replanPending?: boolean }).replanPending);
      // the first of a quiet spell goes at once on both throttles; the second's interim event ≤ 300 ms later
      expect(interim.map((event) => event.data)).toEqual([{ machines: ['line7'], cycles: 5, replanPending: true }, { machines: ['line8'], cycles: 4, replanPending: true }]);
      expect(interim[1].at - start).toBeLessThan(700);
      expect(seen.filter((event) => event.topic === 'schedule')).toHaveLength(1);
      // the forecast recorder's view: only the re-plan's own production event
      expect(settled).toEqual([{ machines: ['line7'], cycles: 5 }]);
      // closing re-plans what waits (line8's batch), without another interim event
      await notifier.close();
      expect(seen.filter((event) => event.topic === 'schedule')).toHaveLength(2);
      expect(settled).toEqual([{ machines: ['line7'], cycles: 5 }, { machines: ['line8'], cycles: 4 }]);
      expect(seen.filter((event) => event.topic === 'production')).toHaveLength(4);
    } finally {
      await t.close();
    }
  });

  it('the hub describes events once, in the order they were published, and sends a failed description as published', async () => {
    const hub = new EventHub();
    const got: { topic: string; data?: unknown }[] = [];
    hub.subscribe((event) => got.push({ topic: event.topic, data: event.data }));
    hub.subscribe(() => undefined);
    let calls = 0;
    const errors: unknown[] = [];
    hub.describe(
      'production',
      async (data) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        if ((data as { fail?: boolean }).fail) throw new Error('no');
        return { ...(data as object), described: true };
      },
      (error) => errors.push(error),
    );
    hub.publish({ topic: 'production', data: { n: 1 } });
    hub.publish({ topic: 'schedule', data: { n: 2 } });
    hub.publish({ topic: 'production', data: { n: 3, fail: true } });
    expect(got).toEqual([]);
    await hub.idle();
    expect(got).toEqual([
      { topic: 'production', data: { n: 1, described: true } },
      { topic: 'schedule', data: { n: 2 } },
      { topic: 'production', data: { n: 3, fail: true } },
    ]);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
