// Consequential changes need a reason, stored in their audit entry (issue 9, defect 8): closing a
// step short of its quantity, deleting, changing the calendar's weeks, editing a signed record.
// Holidays take an optional reason; creating and loading need none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from './repository.js';

describe.each(DIALECTS)('reasons for consequential actions on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'reasons');
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const fieldsOf = (body: { error?: { fields?: { path: string; message: string }[] } }) => (body.error?.fields ?? []).map((f) => f.path);
  const lastAudit = async (entity: string, entityKey: string) => (await listAudit(t.database.db, { entity, entityKey, limit: 1 }))[0];
  const newOrder = async (lot: string, quantity: number) => {
    expect((await inject('POST', '/api/work-orders', { lot, product: 'strep-a-plus', quantity })).status).toBe(201);
    expect((await inject('POST', `/api/work-orders/${lot}/operations/0/load`, { machine: 'line7', mode: 'append' })).status).toBe(200);
  };

  it('closing a step short of its quantity needs a reason, stored trimmed in the audit entry', async () => {
    await newOrder('R1', 200_000);
    await inject('POST', '/api/work-orders/R1/operations/0/counts', { produced: 28_000 });
    const missing = await inject('POST', '/api/work-orders/R1/operations/0/close', {});
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['body.reason']);
    expect(missing.body.error.message).toMatch(/reason/);
    const blank = await inject('POST', '/api/work-orders/R1/operations/0/close', { reason: '   ' });
    expect(fieldsOf(blank.body)).toEqual(['body.reason']);
    const tooLong = await inject('POST', '/api/work-orders/R1/operations/0/close', { reason: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(fieldsOf(tooLong.body)).toEqual(['body.reason']);
    // nothing was closed by the refused attempts
    expect((await inject('GET', '/api/work-orders/R1')).body.operations[0].state).not.toBe('done');
    const closed = await inject('POST', '/api/work-orders/R1/operations/0/close', { reason: '  foil roll damaged, rest of lot scrapped  ' });
    expect(closed.status).toBe(200);
    expect(closed.body.operations[0].state).toBe('done');
    const entry = await lastAudit('work-order', 'R1');
    expect(entry).toMatchObject({ action: 'close', reason: 'foil roll damaged, rest of lot scrapped' });
  });

  it('closing a step that made its quantity needs no reason', async () => {
    await newOrder('R2', 1000);
    await inject('POST', '/api/work-orders/R2/operations/0/counts', { produced: 1010, scrap: 10 });
    const closed = await inject('POST', '/api/work-orders/R2/operations/0/close', {});
    expect(closed.status).toBe(200);
    expect((await lastAudit('work-order', 'R2')).reason).toBeNull();
  });

  it('creating, loading and parking need no reason', async () => {
    await newOrder('R3', 5000);
    expect((await inject('POST', '/api/work-orders/R3/operations/0/park', {})).status).toBe(200);
  });

  it('deleting a work order, machine, product or process group needs a reason', async () => {
    expect((await inject('POST', '/api/work-orders', { lot: 'R4', product: 'strep-a-plus', quantity: 100 })).status).toBe(201);
    const missing = await inject('DELETE', '/api/work-orders/R4?version=1');
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['body.reason']);
    expect((await inject('GET', '/api/work-orders/R4')).status).toBe(200);
    const deleted = await inject('DELETE', '/api/work-orders/R4?version=1', { reason: 'entered twice' });
    expect(deleted.status).toBe(204);
    expect(await lastAudit('work-order', 'R4')).toMatchObject({ action: 'delete', reason: 'entered twice' });

    expect((await inject('POST', '/api/process-groups', { key: 'spare', name: 'Spare area' })).status).toBe(201);
    expect(fieldsOf((await inject('DELETE', '/api/process-groups/spare')).body)).toEqual(['body.reason']);
    expect((await inject('DELETE', '/api/process-groups/spare', { reason: 'created by mistake' })).status).toBe(204);
    expect((await lastAudit('process-group', 'spare')).reason).toBe('created by mistake');

    const machine = (await inject('GET', '/api/machines/line10')).body;
    expect(fieldsOf((await inject('DELETE', `/api/machines/line10?version=${machine.version}`)).body)).toEqual(['body.reason']);
    const product = (await inject('GET', '/api/products/rsv')).body;
    expect(fieldsOf((await inject('DELETE', `/api/products/rsv?version=${product.version}`)).body)).toEqual(['body.reason']);
  });

  it('a week override needs a reason and records the week as it was', async () => {
    const base = (await inject('GET', '/api/calendar/weeks/2027-W10')).body;
    const days = { ...base.days, fri: [['06:30', '14:45'], ['14:45', '20:00']] };
    const missing = await inject('PUT', '/api/calendar/weeks/2027-W10', { days });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['body.reason']);
    expect((await inject('GET', '/api/calendar/weeks/2027-W10')).body.overridden).toBe(false);
    const saved = await inject('PUT', '/api/calendar/weeks/2027-W10', { days, reason: 'short Friday: stocktake' });
    expect(saved.status).toBe(200);
    const entry = await lastAudit('calendar', '2027-W10');
    expect(entry).toMatchObject({ action: 'override-week', reason: 'short Friday: stocktake' });
    // the before state is the week as it was: here the default pattern it followed
    expect(entry.before).toEqual({ days: base.days, followedDefault: true });
    expect(entry.after).toEqual({ days });
    const resetMissing = await inject('DELETE', '/api/calendar/weeks/2027-W10');
    expect(fieldsOf(resetMissing.body)).toEqual(['body.reason']);
    const reset = await inject('DELETE', '/api/calendar/weeks/2027-W10', { reason: 'stocktake moved' });
    expect(reset.status).toBe(200);
    expect(await lastAudit('calendar', '2027-W10')).toMatchObject({ action: 'reset-week', reason: 'stocktake moved', before: { days } });
  });

  it('the default week needs a reason', async () => {
    const cal = (await inject('GET', '/api/calendar')).body;
    const missing = await inject('PUT', '/api/calendar/default', { days: cal.default.days, version: cal.default.version });
    expect(missing.status).toBe(400);
    expect(fieldsOf(missing.body)).toEqual(['body.reason']);
    const saved = await inject('PUT', '/api/calendar/default', { days: cal.default.days, version: cal.default.version, reason: 'signed again after review' });
    expect(saved.status).toBe(200);
    expect(await lastAudit('calendar', 'default')).toMatchObject({ action: 'update-default', reason: 'signed again after review' });
  });

  it('holidays take an optional reason', async () => {
    expect((await inject('POST', '/api/calendar/holidays', { date: '2027-07-05', name: 'Independence Day (observed)' })).status).toBe(201);
    expect((await lastAudit('holiday', '2027-07-05')).reason).toBeNull();
    expect((await inject('POST', '/api/calendar/holidays', { date: '2027-07-06', name: 'Plant shutdown', reason: 'boiler repair' })).status).toBe(201);
    expect((await lastAudit('holiday', '2027-07-06')).reason).toBe('boiler repair');
    expect((await inject('DELETE', '/api/calendar/holidays/2027-07-06')).status).toBe(204);
    expect((await inject('DELETE', '/api/calendar/holidays/2027-07-05', { reason: 'we work that day' })).status).toBe(204);
    expect((await lastAudit('holiday', '2027-07-05')).reason).toBe('we work that day');
  });

  it('editing a work order after its signed close needs a reason', async () => {
    await newOrder('R5', 100);
    await inject('POST', '/api/work-orders/R5/operations/0/counts', { produced: 100 });
    const wo = (await inject('GET', '/api/work-orders/R5')).body;
    // closing the whole work order with kitting not started is closing short too
    const closeMissing = await inject('POST', '/api/work-orders/R5/close', { version: wo.version });
    expect(fieldsOf(closeMissing.body)).toEqual(['body.reason']);
    const closed = await inject('POST', '/api/work-orders/R5/close', { version: wo.version, reason: 'kitting done on paper' });
    expect(closed.status).toBe(200);
    const edit = await inject('PATCH', '/api/work-orders/R5', { notes: 'label reprinted', version: closed.body.version });
    expect(edit.status).toBe(400);
    expect(fieldsOf(edit.body)).toEqual(['body.reason']);
    const edited = await inject('PATCH', '/api/work-orders/R5', { notes: 'label reprinted', version: closed.body.version, reason: 'note added after release' });
    expect(edited.status).toBe(200);
    expect(await lastAudit('work-order', 'R5')).toMatchObject({ action: 'update', reason: 'note added after release' });
    // an unsigned work order is edited without one
    expect((await inject('PATCH', '/api/work-orders/R3', { notes: 'urgent', version: (await inject('GET', '/api/work-orders/R3')).body.version })).status).toBe(200);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });
});
