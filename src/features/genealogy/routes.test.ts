// Genealogy over HTTP (fastify.inject): a viewer reads but cannot record, an operator records only for
// a kit lot on one of their lines, a lead anywhere; the errors are 400 naming the line, 404 and 409;
// the trace exports (.xlsx, CSV, JSON) carry every time with its zone offset.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { addKitOnlyProduct, addLot } from '../../testing/genealogy.js';
import * as authRepo from '../auth/repository.js';
import { createTestUser, injectAs, signIn } from '../../testing/auth.js';

const OFFSET_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d/;

describe('genealogy routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'genealogy-routes');
    const db = t.database.db;
    await addKitOnlyProduct(db, 'combo-kit', 'Combo Kit', '1999001');
    await addLot(db, { lot: '159070', product: 'flu-ab', good: [10_000], machines: ['line7'] }, 2);
    await addLot(db, { lot: '159071', product: 'flu-sars', good: [8_000], machines: ['line8'] }, 2);
    await addLot(db, { lot: 'KIT1', product: 'combo-kit', machines: ['kit1'] }, 1);
    await addLot(db, { lot: 'KIT2', product: 'combo-kit', machines: ['kit2'] }, 1);
  });
  afterAll(async () => t?.close());

  const put = (lot: string, payload: object) => t.app.inject({ method: 'PUT', url: `/api/genealogy/${lot}`, payload });

  it('lets a viewer read the consumption and the trace, but not record one', async () => {
    const { inject } = await t.as('viewer');
    const read = await inject('/api/genealogy/KIT1');
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ lot: 'KIT1', kitStep: 0, version: 0, entered: false });
    expect((await inject('/api/genealogy/159070/trace?direction=forward')).statusCode).toBe(200);
    const write = await inject({ method: 'PUT', url: '/api/genealogy/KIT1', payload: { version: 0, lots: [{ lot: '159070', quantity: 10 }] } });
    expect(write.statusCode).toBe(403);
    expect((await inject({ method: 'DELETE', url: '/api/genealogy/KIT1?version=1' })).statusCode).toBe(403);
  });

  it('records a kit lot fed by two pouch lots and shows it forward from each', async () => {
    const res = await put('KIT1', { version: 0, lots: [{ lot: '159070', quantity: 4_000 }, { lot: '159071', quantity: 3_000 }], reason: 'picking list 88' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().backward.links.map((l: { consumedLot: string; quantity: number }) => [l.consumedLot, l.quantity])).toEqual([['159070', 4000], ['159071', 3000]]);
    const forward = (await t.app.inject('/api/genealogy/159071/trace?direction=forward')).json();
    expect(forward.links.map((l: { kitLot: string; derived: boolean }) => [l.kitLot, l.derived])).toEqual([['KIT1', false], ['159071', true]]);
    const history = (await t.app.inject('/api/work-orders/KIT1/history')).json() as { action: string; reason: string | null }[];
    expect(history.find((e) => e.action === 'record-consumption')?.reason).toBe('picking list 88');
  });

  it('shows the QC release of a consumed pouch lot, with its signer, in the backward trace', async () => {
    const quality = await t.as('quality');
    const signed = await quality.inject({ method: 'POST', url: '/api/work-orders/159070/operations/0/gate', payload: { signature: { password: quality.user.password, meaning: 'released' }, review: { items: [] } } });
    expect(signed.statusCode, signed.body).toBe(200);
    const trace = (await t.app.inject('/api/genealogy/KIT1/trace?direction=backward')).json();
    const pouch = trace.nodes.find((n: { lot: string; step: number }) => n.lot === '159070' && n.step === 0);
    expect(pouch.release).toMatchObject({ gate: 'QC release', meaning: 'released', signedBy: expect.stringContaining('Quality') });
    expect(pouch.release.signedAt).toMatch(OFFSET_TIME);
    expect(trace.nodes.find((n: { lot: string }) => n.lot === '159071').release).toBeNull();
  });

  it('answers over-consumption with 400 naming the line, unknown lots with 404, a stale version with 409', async () => {
    const over = await put('KIT2', { version: 0, lots: [{ lot: '159071', quantity: 1 }, { lot: '159070', quantity: 6_001 }] });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.fields).toEqual([{ path: 'body.lots[1].quantity', message: expect.stringContaining('at most 6000 of lot 159070') }]);
    const zero = await put('KIT2', { version: 0, lots: [{ lot: '159070', quantity: 0 }] });
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error.fields[0].path).toBe('body.lots.0.quantity');
    expect((await put('NOPE', { version: 0, lots: [{ lot: '159070', quantity: 1 }] })).statusCode).toBe(404);
    expect((await t.app.inject('/api/genealogy/NOPE/trace')).statusCode).toBe(404);
    expect((await t.app.inject('/api/genealogy/NOPE')).statusCode).toBe(404);
    const stale = await put('KIT1', { version: 0, lots: [{ lot: '159070', quantity: 1 }] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await t.app.inject({ method: 'DELETE', url: '/api/genealogy/KIT1?version=7' })).statusCode).toBe(409);
  });

  it('lets an operator record only for a kit lot on their own line; a lead anywhere', async () => {
    const user = await createTestUser(t.database.db, 'operator');
    expect(await authRepo.updateUser(t.database.db, user.id, 1, { lines: JSON.stringify(['kit1']) }, Date.now())).toBe(true);
    const operator = injectAs((o) => t.anonymous(o), await signIn((o) => t.anonymous(o), user));
    const lead = await t.as('lead');
    const own = await operator({ method: 'PUT', url: '/api/genealogy/KIT1', payload: { version: 1, lots: [{ lot: '159070', quantity: 4_000 }, { lot: '159071', quantity: 3_000 }] } });
    expect(own.statusCode, own.body).toBe(200);
    const other = await operator({ method: 'PUT', url: '/api/genealogy/KIT2', payload: { version: 0, lots: [{ lot: '159071', quantity: 10 }] } });
    expect(other.statusCode).toBe(403);
    const byLead = await lead.inject({ method: 'PUT', url: '/api/genealogy/KIT2', payload: { version: 0, lots: [{ lot: '159071', quantity: 10 }] } });
    expect(byLead.statusCode, byLead.body).toBe(200);
    const cleared = await lead.inject({ method: 'DELETE', url: '/api/genealogy/KIT2?version=1' });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ entered: false, version: 0 });
  });

  it('keeps a consumed lot: it has production, so its work order cannot be deleted from under the kit', async () => {
    await addLot(t.database.db, { lot: 'GONE1', product: 'flu-ab', good: [500], machines: ['line9'] }, 2);
    await addLot(t.database.db, { lot: 'KIT3', product: 'combo-kit', machines: ['kit1'] }, 1);
    expect((await put('KIT3', { version: 0, lots: [{ lot: 'GONE1', quantity: 200 }] })).statusCode).toBe(200);
    const deleted = await t.app.inject({ method: 'DELETE', url: '/api/work-orders/GONE1?version=1', payload: { reason: 'entered twice' } });
    expect(deleted.statusCode, deleted.body).toBe(409);
    const trace = (await t.app.inject('/api/genealogy/KIT3/trace?direction=backward')).json();
    expect(trace.links.map((l: { consumedLot: string; quantity: number }) => [l.consumedLot, l.quantity])).toEqual([['GONE1', 200]]);
    expect(trace.nodes.find((n: { lot: string }) => n.lot === 'GONE1')).toMatchObject({ exists: true, productName: 'Flu A/B FIA' });
  });

  it('exports the trace as .xlsx, CSV and JSON with every time carrying its zone offset', async () => {
    const csv = await t.app.inject('/api/genealogy/KIT1/trace.csv?direction=backward');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toContain('qmfg-trace-KIT1-backward');
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('with offset');
    expect(lines[1]).toContain('159070');
    expect(lines[1]).toMatch(OFFSET_TIME);

    const json = await t.app.inject('/api/genealogy/159070/trace.json?direction=forward');
    expect(json.statusCode).toBe(200);
    const trace = JSON.parse(json.body);
    expect(trace.generatedAt).toMatch(OFFSET_TIME);
    expect(trace.links.some((l: { kitLot: string }) => l.kitLot === 'KIT1')).toBe(true);

    const xlsx = await t.app.inject('/api/genealogy/KIT1/trace.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(3);
    const row = sheet.getRow(2).values as unknown[];
    expect(row).toContain('159070');
    expect(row.some((v) => typeof v === 'string' && OFFSET_TIME.test(v))).toBe(true);
  });
});
