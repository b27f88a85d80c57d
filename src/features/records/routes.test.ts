// The audit screen's API: filters, the users in the trail, .xlsx/CSV export with the electronic
// signature manifestation, a machine's own history, and who may read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestApp, createTestUser, injectAs, signIn, type AuthTestApp, type TestUser } from '../../testing/auth.js';

describe('audit trail API', () => {
  let t: AuthTestApp;
  let quality: TestUser;
  let asQuality: ReturnType<typeof injectAs>;
  beforeAll(async () => {
    t = await createAuthTestApp('sqlite', 'audit-api');
    quality = await createTestUser(t.database.db, 'quality', { displayName: 'Quinn Quality' });
    asQuality = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), quality));
    // a signed gate: pouch lot AUD1 and release it
    await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'AUD1', product: 'strep-a-plus', quantity: 5000, notes: 'first, "quoted", line' } });
    await t.inject({ method: 'POST', url: '/api/work-orders/AUD1/operations/0/load', payload: { machine: 'line7', mode: 'append' } });
    await t.inject({ method: 'POST', url: '/api/work-orders/AUD1/operations/0/close', payload: { reason: 'trial lot, stopped early' } });
    const gate = await asQuality({ method: 'POST', url: '/api/work-orders/AUD1/operations/0/gate', payload: { signature: { password: quality.password, meaning: 'released' }, review: { items: [] } } });
    expect(gate.statusCode).toBe(200);
    await t.inject({ method: 'PATCH', url: '/api/machines/line8', payload: { name: 'Line 8 (rebuilt)', version: 1 } });
  });
  afterAll(async () => t?.close());

  it('filters by user, record and time, newest first, and shows the signature an entry carries', async () => {
    const mine = (await asQuality({ method: 'GET', url: `/api/audit?actor=${quality.username}` })).json();
    expect(mine.map((e: { action: string }) => e.action)).toEqual(['pass-gate', 'sign-in']);
    expect(mine[0].signature).toMatchObject({ printedName: 'Quinn Quality', meaning: 'released', valid: true });
    expect(mine[1].signature).toBeNull();
    const lot = (await asQuality({ method: 'GET', url: '/api/audit?entity=work-order&entityKey=AUD1' })).json();
    expect(lot.map((e: { action: string }) => e.action)).toEqual(['pass-gate', 'close', 'load-append', 'create']);
    const now = Date.now();
    expect((await asQuality({ method: 'GET', url: `/api/audit?from=${now + 60_000}` })).json()).toEqual([]);
    expect((await asQuality({ method: 'GET', url: `/api/audit?to=${now + 60_000}&limit=2` })).json()).toHaveLength(2);
    const actors = (await asQuality({ method: 'GET', url: '/api/audit/actors' })).json();
    expect(actors).toEqual(expect.arrayContaining(['system', t.admin.username, quality.username]));
  });

  it('exports the filtered trail as CSV: plant time to the second with the zone, the change in words, the raw change last', async () => {
    const res = await asQuality({ method: 'GET', url: '/api/audit/export.csv?entity=work-order&entityKey=AUD1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="qmfg-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = res.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('When (plant time: America/Los_Angeles),User,Record type,Record,Action,Reason,From,Change,Electronic signature,Entry hash,Change as data (JSON)');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} P[SD]T,${quality.username},Work order,AUD1,Gate signed,`));
    expect(lines[1]).toContain(`released by Quinn Quality (${quality.username}, quality) at `);
    // the step closed short: its reason, 1-based step, states and the machine by name
    expect(lines[2]).toContain(',Step closed,"trial lot, stopped early",');
    expect(lines[2]).toContain('"Step 1\nState: Queued → Done\nMachine: Line 7\nQueue position: 1\nProduced: 0 units');
    expect(lines[4]).toContain('Product: Strep A+ FIA\nQuantity: 5,000 units');
    // the change column is words, not JSON; JSON with quotes and commas stays one field, in the last column
    const change = lines[4].split(',Created,')[1];
    expect(change).not.toMatch(/^[^"]*\{/);
    expect(lines[4]).toMatch(/,"\{""entity"":""work-order"",""action"":""create"",""before"":null,""after"":\{""lot"":""AUD1"".*\}"$/);
  });

  it('exports .xlsx with real date cells, the zone in the header and the readable change', async () => {
    const res = await asQuality({ method: 'GET', url: '/api/audit/export.xlsx?actor=' + quality.username });
    expect(res.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Audit trail')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('When (plant time: America/Los_Angeles)');
    expect(sheet.getRow(2).getCell(1).value).toBeInstanceOf(Date);
    expect(sheet.getRow(2).getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.getRow(1).getCell(8).value).toBe('Change');
    expect(sheet.getRow(2).getCell(8).value).toBe(`Step 1\nGate: QC release\nPassed: No → Yes\nMeaning of the signature: released\nSigned by: Quinn Quality\nReview: review done, no exceptions\nReviewed by: ${quality.username}\nReviewed item count: 0`);
    expect(sheet.getRow(1).getCell(9).value).toBe('Electronic signature');
    expect(String(sheet.getRow(2).getCell(9).value)).toMatch(/^released by Quinn Quality/);
    expect(JSON.parse(String(sheet.getRow(2).getCell(11).value))).toMatchObject({ action: 'pass-gate', after: { passed: true } });
    expect(sheet.rowCount).toBe(3);
  });

  it('shows a machine its own history', async () => {
    const history = (await asQuality({ method: 'GET', url: '/api/machines/line8/history' })).json();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'update', actor: t.admin.username, before: { name: 'Line 8' }, after: { name: 'Line 8 (rebuilt)' } });
    expect((await asQuality({ method: 'GET', url: '/api/machines/nope/history' })).statusCode).toBe(404);
  });

  it('shows where a change came from in lot and machine histories only to readers of the audit trail', async () => {
    const viewer = await createTestUser(t.database.db, 'viewer');
    const asViewer = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), viewer));
    for (const url of ['/api/work-orders/AUD1/history', '/api/machines/line8/history']) {
      const seen = await asViewer({ method: 'GET', url });
      expect(seen.statusCode, seen.body).toBe(200);
      const entries = seen.json() as { actor: string; source: string | null }[];
      expect(entries.length).toBeGreaterThan(0);
      // everything else of the history stays: who did what
      expect(entries.map((e) => e.actor)).toContain(t.admin.username);
      expect(entries.map((e) => e.source)).toEqual(entries.map(() => null));
      const audited = (await asQuality({ method: 'GET', url })).json() as { source: string | null }[];
      expect(audited).toHaveLength(entries.length);
      expect(audited.map((e) => e.source)).toEqual(entries.map(() => '127.0.0.1'));
    }
  });

  it('is for quality, managers and administrators', async () => {
    const planner = await createTestUser(t.database.db, 'planner');
    const asPlanner = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), planner));
    expect((await asPlanner({ method: 'GET', url: '/api/audit' })).statusCode).toBe(403);
    expect((await asPlanner({ method: 'GET', url: '/api/audit/export.csv' })).statusCode).toBe(403);
    expect((await asPlanner({ method: 'GET', url: '/api/machines/line8/history' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/audit' })).statusCode).toBe(401);
  });
});
