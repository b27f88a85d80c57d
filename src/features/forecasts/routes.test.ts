// GET /api/work-orders/:lot/forecast?at= on the real Line 8 logs uploaded to a demo machine: the
// same object as `qmfg forecast` prints for that --at (same core code, computed here from the
// files), using only data before `at`, with the step and machine; bad input is a 400 naming `at`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE8_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';
import { forecastLot, MachineUnits } from '../../core/forecast/index.js';
import { parseSensorFile } from '../../testing/parse-file.js';
import { forecastToJson } from '../../core/forecast/json.js';
import { loadCalendarSpec } from '../calendar/repository.js';
import { recordForecasts } from './service.js';
import * as ordersRepo from '../orders/repository.js';
import { within } from '../../testing/machine-data.js';

describe.each(DIALECTS)('forecast as of a moment on %s', (dialect) => {
  let t: TestApp;
  const files = LINE8_DAYS.slice(0, 2);
  beforeAll(async () => {
    t = await createTestApp(dialect, 'forecast_asof', { demo: true, env: { QMFG_TZ: ZONE } });
    const created = await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: '159070', product: 'strep-a-plus', quantity: 190468, due: null } });
    expect(created.statusCode).toBe(201);
    const loaded = await t.app.inject({ method: 'POST', url: '/api/work-orders/159070/operations/0/load', payload: { machine: 'line6', mode: 'append' } });
    expect(loaded.statusCode).toBe(200);
    for (const path of files) {
      const res = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line6', ...multipartFiles([{ name: basename(path), content: readFileSync(path) }]) });
      expect(res.statusCode).toBe(200);
    }
  }, 120_000);
  afterAll(async () => t?.close());

  const byFiles = async (atLocal: string) => {
    const units = new MachineUnits();
    for (const path of files) for (const cycle of (await parseSensorFile(path, ZONE)).cycles) units.add(cycle);
    const at = DateTime.fromISO(atLocal, { zone: ZONE }).toMillis();
    const calendar = await loadCalendarSpec(t.database.db);
    return forecastToJson(forecastLot({ at, lot: '159070', quantity: 190468, standardRatePerHour: 5000, units, calendar, zone: ZONE }), ZONE);
  };

  it.each(['2022-10-11T14:30', '2022-10-11T09:00', '2022-10-10T20:15'])('as of %s answers what qmfg forecast answers', async (atLocal) => {
    const res = await t.app.inject({ url: `/api/work-orders/159070/forecast?at=${atLocal}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ step: 0, machine: 'line6' });
    const { step, machine, ...element } = body;
    void step;
    void machine;
    expect(element).toEqual(await byFiles(atLocal));
  });

  it('uses nothing after `at`: the 10 Oct answer does not change when 11 Oct is there', async () => {
    const res = await t.app.inject({ url: '/api/work-orders/159070/forecast?at=2022-10-10T20:15' });
    const units = new MachineUnits();
    for (const cycle of (await parseSensorFile(files[0], ZONE)).cycles) units.add(cycle);
    const at = DateTime.fromISO('2022-10-10T20:15', { zone: ZONE }).toMillis();
    const calendar = await loadCalendarSpec(t.database.db);
    const { step, machine, ...element } = res.json();
    void step;
    void machine;
    expect(element).toEqual(forecastToJson(forecastLot({ at, lot: '159070', quantity: 190468, standardRatePerHour: 5000, units, calendar, zone: ZONE }), ZONE));
  });

  it('bad input: an unparsable at is a 400 naming it; an unknown lot a 404', async () => {
    const bad = await t.app.inject({ url: '/api/work-orders/159070/forecast?at=soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('at');
    expect((await t.app.inject({ url: '/api/work-orders/424242/forecast?at=2022-10-11T14:30' })).statusCode).toBe(404);
  });

  it('machine data stores the learned rate on the operation, and rate mode recommended (the site default) plans with it', async () => {
    const [operation] = await ordersRepo.listOperations(t.database.db, ['159070']);
    expect(operation.recommended_rate_per_hour).toBeGreaterThan(1000);
    expect(operation.recommended_rate_per_hour).toBeLessThan(8400);
    const workOrder = (await t.app.inject({ url: '/api/work-orders/159070' })).json();
    expect(workOrder.effectiveRateMode).toBe('recommended');
  });

  it('records the forecast as production comes in, and again only when it changed', async () => {
    // the uploads above were production: the recorder followed them (as of the time they came in)
    const followed = await within(5000, async () => (await t.app.inject({ url: '/api/work-orders/159070/forecast/history' })).json().history, (rows) => rows.length > 0);
    expect(followed.length).toBeGreaterThan(0);
    expect(followed[0]).toMatchObject({ lot: '159070', step: 0, machine: 'line6', method: 'recommended' });
    const db = t.database.db;
    // before the 12 Oct shift (the data ends on 11 Oct): every method starts at 06:30
    const at1 = DateTime.fromISO('2022-10-12T06:00', { zone: ZONE }).toMillis();
    expect(await recordForecasts(db, ZONE, ['line6', 'line7'], at1)).toBe(1);
    // the same moment again, and 20 s later (the same ends: the shift starts at 06:30): nothing new
    expect(await recordForecasts(db, ZONE, ['line6'], at1)).toBe(0);
    expect(await recordForecasts(db, ZONE, ['line6'], at1 + 20_000)).toBe(0);
    const history = (await t.app.inject({ url: '/api/work-orders/159070/forecast/history' })).json().history;
    expect(history).toHaveLength(followed.length + 1);
    expect(history[0]).toMatchObject({ at: at1, produced: followed[followed.length - 1].produced });
    // 07:00: produced is the same, but every end has moved on by 30 min of working time → recorded
    expect(await recordForecasts(db, ZONE, ['line6'], at1 + 3_600_000)).toBe(1);
    expect((await t.app.inject({ url: '/api/work-orders/424242/forecast/history' })).statusCode).toBe(404);
  });

  it('once the lot is closed, the accuracy report averages its recorded forecasts against the actual end', async () => {
    expect((await t.app.inject({ url: '/api/forecasts/accuracy' })).json()).toEqual({ rows: [] });
    const closed = await t.app.inject({ method: 'POST', url: '/api/work-orders/159070/operations/0/close', payload: { reason: 'lot finished' } });
    expect(closed.statusCode).toBe(200);
    // the API shows instants as ISO text
    const actualEnd = Date.parse(closed.json().operations[0].actualEnd);
    expect(Number.isFinite(actualEnd)).toBe(true);
    const history = (await t.app.inject({ url: '/api/work-orders/159070/forecast/history' })).json().history as { at: number; standardEnd: number; forecastEnd: number }[];
    const before = history.filter((row) => row.at <= actualEnd);
    const mae = (pick: (row: (typeof before)[number]) => number) => Math.round((before.reduce((sum, row) => sum + Math.abs(pick(row) - actualEnd), 0) / before.length / 60_000) * 10) / 10;
    const report = (await t.app.inject({ url: '/api/forecasts/accuracy' })).json();
    expect(report.rows).toEqual([
      expect.objectContaining({ machine: 'line6', product: 'strep-a-plus', lots: 1, forecasts: before.length, standardMinutes: mae((row) => row.standardEnd), recommendedMinutes: mae((row) => row.forecastEnd) }),
    ]);
  });
});
