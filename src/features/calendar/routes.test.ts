import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit } from '../audit/repository.js';

describe.each(DIALECTS)('calendar API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'calendar');
  });
  afterAll(async () => t?.close());

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
  const week = async (w: string) => (await inject('GET', `/api/calendar/weeks/${w}`)).json();

  it('overrides a single week without touching the others, and resets it', async () => {
    const base = await week('2026-W50');
    expect(base).toMatchObject({ overridden: false, workingHours: 115.5, dates: ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10', '2026-12-11', '2026-12-12', '2026-12-13'] });
    const days = { ...base.days, sat: [], sun: [], mon: [['06:00', '14:00'], ['22:00', '06:00']] };
    const res = await inject('PUT', '/api/calendar/weeks/2026-W50', { days, reason: 'night shift on Monday, weekend off' });
    expect(res.statusCode).toBe(200);
    // Mon 8 h + 8 h night shift, Tue–Fri 16.5 h each, weekend off
    expect(res.json()).toMatchObject({ overridden: true, version: 1, workingHours: 16 + 4 * 16.5 });
    expect((await week('2026-W51')).overridden).toBe(false);
    expect((await week('2026-W49')).workingHours).toBe(115.5);
    // editing the override needs its version
    expect((await inject('PUT', '/api/calendar/weeks/2026-W50', { days: base.days, reason: 'back to normal' })).statusCode).toBe(409);
    expect((await inject('PUT', '/api/calendar/weeks/2026-W50', { days: base.days, version: 1, reason: 'back to normal' })).json().version).toBe(2);
    const reset = await inject('DELETE', '/api/calendar/weeks/2026-W50', { reason: 'follows the default again' });
    expect(reset.json()).toMatchObject({ overridden: false, workingHours: 115.5 });
    expect((await inject('DELETE', '/api/calendar/weeks/2026-W50', { reason: 'again' })).statusCode).toBe(404);
    const actions = (await listAudit(t.database.db, { entity: 'calendar', entityKey: '2026-W50' })).map((a) => a.action);
    expect(actions).toEqual(['reset-week', 'override-week', 'override-week']);
  });

  it('changes the default for every week without an override', async () => {
    const cal = (await inject('GET', '/api/calendar')).json();
    await inject('PUT', '/api/calendar/weeks/2027-W02', { days: cal.default.days, reason: 'keep Sunday in week 2' });
    const days = { ...cal.default.days, sun: [] };
    const res = await inject('PUT', '/api/calendar/default', { days, version: cal.default.version, reason: 'Sundays off from now on' });
    expect(res.statusCode).toBe(200);
    expect((await week('2027-W05')).workingHours).toBe(115.5 - 16.5);
    expect((await week('2027-W02')).workingHours).toBe(115.5); // the override keeps its own pattern
    const stale = await inject('PUT', '/api/calendar/default', { days, version: cal.default.version, reason: 'again' });
    expect(stale.statusCode).toBe(409);
    const [entry] = await listAudit(t.database.db, { entity: 'calendar', entityKey: 'default' });
    expect(entry).toMatchObject({ action: 'update-default', reason: 'Sundays off from now on' });
    await inject('PUT', '/api/calendar/default', { days: cal.default.days, version: cal.default.version + 1, reason: 'Sundays back' });
  });

  it('holidays remove working time', async () => {
    expect((await inject('POST', '/api/calendar/holidays', { date: '2026-12-25', name: 'Christmas' })).statusCode).toBe(201);
    expect((await inject('POST', '/api/calendar/holidays', { date: '2026-12-25', name: 'again' })).statusCode).toBe(409);
    const w = await week('2026-W52');
    expect(w.holidays).toEqual([{ date: '2026-12-25', name: 'Christmas' }]);
    expect(w.workingHours).toBe(115.5 - 16.5);
    const wt = (await inject('GET', '/api/calendar/working-time?from=2026-12-25T08:00:00Z&to=2026-12-26T08:00:00Z')).json();
    expect(wt.hours).toBe(0);
    expect((await inject('DELETE', '/api/calendar/holidays/2026-12-25')).statusCode).toBe(204);
    expect((await inject('DELETE', '/api/calendar/holidays/2026-12-25')).statusCode).toBe(404);
  });

  it('answers the working time of a range', async () => {
    // Monday 2026-12-07 in Los Angeles (UTC-8): 06:30–23:00 local = 14:30Z–07:00Z next day
    const res = (await inject('GET', '/api/calendar/working-time?from=2026-12-07T08:00:00Z&to=2026-12-08T08:00:00Z')).json();
    expect(res.intervals).toEqual([{ start: '2026-12-07T14:30:00.000Z', end: '2026-12-08T07:00:00.000Z' }]);
    expect(res.hours).toBe(16.5);
  });

  it('rejects bad calendar input with field errors', async () => {
    const cal = (await inject('GET', '/api/calendar')).json();
    const bad = await inject('PUT', '/api/calendar/weeks/2026-W50', { days: { ...cal.default.days, tue: [['25:00', '10:00']] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toMatch(/^body\.days\.tue\.0/);
    expect((await inject('GET', '/api/calendar/weeks/2026-W60')).statusCode).toBe(400);
    const range = await inject('GET', '/api/calendar/working-time?from=2026-12-08&to=2026-12-07');
    expect(range.statusCode).toBe(400);
    expect(range.json().error.fields[0].path).toBe('query.to');
    expect((await inject('GET', '/api/calendar/working-time?from=yesterday&to=2026-12-07')).json().error.fields[0].path).toBe('query.from');
    expect((await inject('POST', '/api/calendar/holidays', { date: '2026-02-30', name: 'x' })).statusCode).toBe(400);
  });
});
