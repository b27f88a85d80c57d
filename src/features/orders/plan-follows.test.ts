// Issue 9: plans follow every calendar change (defect 2), one progress figure for a work order
// (defect 3) and the late risk of steps that are not planned yet (defect 6), through the real API.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { seedDemoOrders } from '../demo/orders.js';

const HOUR = 3_600_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

describe.each(DIALECTS)('plans that follow the plant on %s', (dialect) => {
  let t: TestApp;
  let zone: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'planfollow');
    zone = t.database.config.QMFG_TZ;
    // the demo's work orders (API tests start without them): lots 160101–160112 on the board
    await t.database.db.transaction().execute((trx) => seedDemoOrders(trx, zone, Date.now()));
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? (res.headers['content-type']?.toString().includes('json') ? res.json() : res.body) : null };
  };
  const listed = async (lot: string) => {
    const list = (await inject('GET', `/api/work-orders?search=${lot}`)).body as { lot: string }[];
    return list.find((w) => w.lot === lot) as Record<string, any>;
  };
  // a running job's forecast moves with the clock between two requests: equal within a minute
  const expectNear = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(60_000);
  const pouchingEnd = async (lot: string) => Date.parse((await listed(lot)).operations[0].forecastEnd);

  describe('defect 2: every calendar change re-plans in the same request', () => {
    it('a week override, its reset, a holiday and the default week all move the forecast', async () => {
      // 160101 runs on Line 6 (64 000 of 200 000 done): its pouching ends on some working day
      const before = await pouchingEnd('160101');
      const end = DateTime.fromMillis(before, { zone });
      const week = end.toFormat("kkkk-'W'WW");
      const weekday = WEEKDAYS[end.weekday - 1];
      const calendar = (await inject('GET', '/api/calendar')).body;

      // that weekday off "this week only": the work it did that day moves later, no other call
      const override = await inject('PUT', `/api/calendar/weeks/${week}`, { days: { ...calendar.default.days, [weekday]: [] }, reason: 'maintenance' });
      expect(override.status).toBe(200);
      const afterOverride = await pouchingEnd('160101');
      expect(afterOverride).toBeGreaterThan(before + HOUR);
      // the work-order view's overall forecast end follows as well
      expect(Date.parse((await listed('160101')).forecastEnd)).toBeGreaterThan(afterOverride);

      // back to the default pattern: back to the original forecast
      expect((await inject('DELETE', `/api/calendar/weeks/${week}`, { reason: 'maintenance moved' })).status).toBe(200);
      expectNear(await pouchingEnd('160101'), before);

      // a holiday on that day, then removed
      const date = end.toISODate() as string;
      expect((await inject('POST', '/api/calendar/holidays', { date, name: 'Plant shutdown' })).status).toBe(201);
      expect(await pouchingEnd('160101')).toBeGreaterThan(before + HOUR);
      expect((await inject('DELETE', `/api/calendar/holidays/${date}`)).status).toBe(204);
      expectNear(await pouchingEnd('160101'), before);

      // the default week: that weekday off in every week
      const changed = await inject('PUT', '/api/calendar/default', { days: { ...calendar.default.days, [weekday]: [] }, version: calendar.default.version, reason: 'new shift plan' });
      expect(changed.status).toBe(200);
      expect(await pouchingEnd('160101')).toBeGreaterThan(before + HOUR);
      const restored = await inject('PUT', '/api/calendar/default', { days: calendar.default.days, version: calendar.default.version + 1, reason: 'back' });
      expect(restored.status).toBe(200);
      expectNear(await pouchingEnd('160101'), before);
    });

    it('tells open boards after the re-plan (schedule and calendar topics)', async () => {
      const topics: string[] = [];
      const unsubscribe = t.events.subscribe((event) => topics.push(event.topic));
      try {
        const date = '2031-01-02';
        expect((await inject('POST', '/api/calendar/holidays', { date, name: 'Far away' })).status).toBe(201);
        expect(topics).toEqual(expect.arrayContaining(['calendar', 'schedule']));
        await inject('DELETE', `/api/calendar/holidays/${date}`);
      } finally {
        unsubscribe();
      }
    });
  });

  describe('defect 3: one progress figure (good units of the furthest step that produced)', () => {
    // a small camera log of lot 930003 (Flu A/B, item 1169100): 300 parts, one of them reworked
    const cameraLog = () => {
      const lines: string[] = [];
      const start = DateTime.fromISO('2022-10-11T08:00:00', { zone: 'utc' });
      for (let i = 0; i < 301; i++) {
        const at = start.plus({ milliseconds: i * 800 }).toFormat('MM/dd/yy HH:mm:ss.SSS');
        lines.push(`1169100,930003,${i === 300 ? 1000 : 1000 + i},1,${at}`);
      }
      return Buffer.from(`${lines.join('\r\n')}\r\n`);
    };
    const upload = async (machine: string, name: string, content: Buffer) => {
      const boundary = '----qmfgplanfollow';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({ method: 'POST', url: `/api/ingest/upload?machine=${machine}`, payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    };

    it('GET /api/work-orders, the lot and the export all show the pouched good units', async () => {
      expect((await inject('POST', '/api/work-orders', { lot: '930003', product: 'flu-ab', quantity: 200_000 })).status).toBe(201);
      expect((await inject('POST', '/api/work-orders/930003/operations/0/load', { machine: 'line7', mode: 'append' })).status).toBe(200);
      const res = await upload('line7', 'PR20221011.txt', cameraLog());
      expect(res.statusCode).toBe(200);
      expect(res.json().files[0]).toMatchObject({ cycles: 301, errors: [] });
      const wo = await listed('930003');
      expect(wo.operations[0]).toMatchObject({ produced: 300, good: 300 });
      expect(wo.operations[1].produced).toBe(0);
      // overall: the good units of pouching, the furthest step that has produced anything
      expect(wo.produced).toBe(300);
      expect(wo.producedStep).toBe(0);
      expect((await inject('GET', '/api/work-orders/930003')).body.produced).toBe(300);

      // scrap reported on pouching lowers the good units, and so the overall figure
      await inject('POST', '/api/work-orders/930003/operations/0/counts', { produced: 300, scrap: 20 });
      expect((await listed('930003')).produced).toBe(280);

      // the export's Produced column is the same figure
      const csv = (await inject('GET', '/api/work-orders/export.csv?search=930003')).body as string;
      const [header, row] = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      const column = header.split(',').indexOf('Produced');
      expect(column).toBeGreaterThan(0);
      expect(row.split(',')[column]).toBe('280');
    });

    it('once kitting has produced, the overall figure is kitting’s good units', async () => {
      await inject('POST', '/api/work-orders/930003/operations/1/load', { machine: 'kit1', mode: 'append' });
      await inject('POST', '/api/work-orders/930003/operations/1/counts', { produced: 50, scrap: 2 });
      const wo = await listed('930003');
      expect(wo).toMatchObject({ produced: 48, producedStep: 1 });
    });
  });

  describe('defect 6: late risk of steps that are not planned', () => {
    it('a lot whose pouching ends before due but whose QC release and kitting are parked is at risk', async () => {
      // like demo lot 160106: pouching planned and on time, QC release (24 h) and kitting parked
      expect((await inject('POST', '/api/work-orders', { lot: 'R1', product: 'flu-ab', quantity: 50_000 })).status).toBe(201);
      const loaded = await inject('POST', '/api/work-orders/R1/operations/0/load', { machine: 'line8', mode: 'append' });
      const pouchEnd = Date.parse(loaded.body.operations[0].forecastEnd);
      // due 12 h after pouching ends: pouching is on time, the 24 h gate alone passes the due date
      const due = DateTime.fromMillis(pouchEnd + 12 * HOUR, { zone }).toISO({ includeOffset: true }) as string;
      expect((await inject('PATCH', '/api/work-orders/R1', { due, version: loaded.body.version })).status).toBe(200);
      const wo = await listed('R1');
      expect(wo.operations[1]).toMatchObject({ state: 'parked', forecastEnd: null });
      // planned steps are on time, so not "late" …
      expect(wo.late).toBe(false);
      // … but the estimate of QC release (24 h) + kitting (50 000 at 4000/h + 20 min) ends after due
      expect(wo.lateRisk).toBe(true);
      const estimate = wo.operations[1];
      expect(Date.parse(estimate.estimatedStart)).toBeGreaterThanOrEqual(pouchEnd + 24 * HOUR);
      expect(Date.parse(estimate.estimatedEnd) - Date.parse(estimate.estimatedStart)).toBeGreaterThanOrEqual((50_000 / 4000) * HOUR + 20 * 60_000);
      expect(wo.estimatedEnd).toBe(estimate.estimatedEnd);
      expect(Date.parse(wo.estimatedEnd)).toBeGreaterThan(Date.parse(wo.due));
      // the list filter: "late" is planned lateness, "risk" the estimated one
      expect(((await inject('GET', '/api/work-orders?late=risk')).body as { lot: string }[]).map((w) => w.lot)).toContain('R1');
      expect(((await inject('GET', '/api/work-orders?late=true')).body as { lot: string }[]).map((w) => w.lot)).not.toContain('R1');

      // the parking-lot card of its kitting step carries the risk
      const from = Date.now() - 86_400_000;
      const board = (await inject('GET', `/api/schedule/board?group=kitting&from=${from}&to=${from + 14 * 86_400_000}`)).body;
      const card = board.parked.find((b: { lot: string }) => b.lot === 'R1');
      expect(card).toMatchObject({ late: false, lateRisk: true, estimatedEnd: Date.parse(wo.estimatedEnd) });
    });

    it('a lot with a far due date is not at risk', async () => {
      const due = DateTime.now().setZone(zone).plus({ days: 60 }).toISODate();
      await inject('POST', '/api/work-orders', { lot: 'R6', product: 'flu-ab', quantity: 10_000, due });
      const wo = await listed('R6');
      expect(wo).toMatchObject({ late: false, lateRisk: false });
      // nothing planned: every step is estimated from now
      expect(wo.estimatedEnd).not.toBeNull();
    });
  });

  describe('board: a running job stays first', () => {
    it('a drop in front of the running job lands right after it', async () => {
      // 160101 runs on Line 6, 160102 and the week-long 160117 wait behind it
      const ids = async () => {
        const from = Date.now() - 86_400_000;
        const board = (await inject('GET', `/api/schedule/board?group=pouching-itrak&from=${from}&to=${from + 400 * 86_400_000}`)).body;
        return board.lanes.find((l: { machine: string }) => l.machine === 'line6').bars.map((b: { lot: string; state: string }) => `${b.lot}:${b.state}`);
      };
      expect(await ids()).toEqual(['160101:running', '160102:queued', '160117:queued']);
      expect((await inject('POST', '/api/work-orders', { lot: 'F1', product: 'flu-ab', quantity: 1000 })).status).toBe(201);
      expect((await inject('POST', '/api/work-orders/F1/operations/0/load', { machine: 'line6', mode: 'position', position: 0 })).status).toBe(200);
      expect(await ids()).toEqual(['160101:running', 'F1:queued', '160102:queued', '160117:queued']);
      // replace is the explicit way to take the running job's place
      expect((await inject('POST', '/api/work-orders/F1/operations/0/load', { machine: 'line6', mode: 'replace' })).status).toBe(200);
      expect((await ids())[0]).toBe('F1:queued');
    });
  });
});
