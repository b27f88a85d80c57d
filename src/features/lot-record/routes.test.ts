// The lot record (eDHR) through its API: content of a lot that was pouched, released and kitted, the
// flags of data changed after entry, signatures and their validity, the content hash (stable, and
// moving with the data), the exports carrying the same hash, the .xlsx protected with filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DIALECTS } from '../../testing/databases.js';
import { createAuthTestApp, createTestUser, injectAs, signIn, type AuthTestApp } from '../../testing/auth.js';
import { SIGNED_CONTENT } from '../../server/signed-records.js';
import { assembleLotRecord, contentHash } from './assemble.js';
import { pdfStatedHash } from './pdf.js';
import { editNotes, makeTestLot, TEST_ZONE, type TestLot } from './test-lot.js';
import type { LotRecordContent, LotRecordExport, RecordTable } from './schemas.js';

const tableOf = (content: LotRecordContent, section: string, key: string): RecordTable => {
  const found = content.sections.find((s) => s.key === section)?.tables.find((t) => t.key === key);
  if (!found) throw new Error(`no table ${section}/${key}`);
  return found;
};
const column = (t: RecordTable, key: string) => t.columns.findIndex((c) => c.key === key);
const OFFSET_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2}$/;

describe.each(DIALECTS)('lot record on %s', (dialect) => {
  let t: AuthTestApp;
  let made: TestLot;
  let before: LotRecordExport;
  beforeAll(async () => {
    t = await createAuthTestApp(dialect, 'lot-record', { QMFG_TZ: TEST_ZONE });
    made = await makeTestLot(t, '910201');
    before = (await t.inject({ method: 'GET', url: '/api/work-orders/910201/record' })).json();
    await editNotes(t, '910201', 'record test (corrected)');
  });
  afterAll(async () => t?.close());

  const record = async () => {
    const res = await t.inject({ method: 'GET', url: '/api/work-orders/910201/record' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as LotRecordExport;
  };

  it('has both operations with machine, times with offsets, camera and recorded counts', async () => {
    const { content } = await record();
    expect(content.format).toBe('qmfg-lot-record/1');
    expect(content.sections.map((s) => s.key)).toEqual([
      'work-order', 'routing', 'operations', 'oee', 'stops', 'changeovers', 'scrap', 'shift-reports', 'genealogy', 'gates', 'signatures', 'audit-trail', 'changes-after-entry',
    ]);
    const ops = tableOf(content, 'operations', 'operations');
    expect(ops.rows).toHaveLength(2);
    const [pouch, kit] = ops.rows;
    expect(pouch[column(ops, 'machine')]).toBe('Line 7 (line7)');
    expect(kit[column(ops, 'machine')]).toBe('Kitting 1 (kit1)');
    expect(pouch[column(ops, 'state')]).toBe('done');
    expect(pouch[column(ops, 'start')]).toBe('2026-11-10 08:00:00 -08:00');
    expect(String(pouch[column(ops, 'end')])).toMatch(OFFSET_TIME);
    const parts = pouch[column(ops, 'sensorParts')] as number;
    expect(parts).toBeGreaterThan(3000);
    expect(pouch[column(ops, 'produced')]).toBe(parts);
    // the OEE engine over the pouching run: the 10-minute stop is an availability loss
    const oee = tableOf(content, 'oee', 'oee');
    expect(oee.rows).toHaveLength(1);
    expect(oee.rows[0][column(oee, 'parts')]).toBe(parts);
    expect(oee.rows[0][column(oee, 'availability')] as number).toBeLessThan(100);
    expect(oee.rows[0][column(oee, 'stops')] as number).toBeGreaterThanOrEqual(2);
  });

  it('lists the stops with their reasons and flags the one whose reason was changed after entry', async () => {
    const { content } = await record();
    const stops = tableOf(content, 'stops', 'stops');
    const long = stops.rows.find((r) => r[column(stops, 'seconds')] === 600);
    const short = stops.rows.find((r) => r[column(stops, 'seconds')] === 120);
    expect(long?.[column(stops, 'reason')]).toMatch(/Sealer jam/i);
    expect(String(long?.[column(stops, 'changed')])).toMatch(/^reason changed after entry \(1 change\): Unplanned › Jam › Pocket jam → Unplanned › Jam › Sealer jam by .* at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2} — the sealer jammed, not the pockets$/);
    expect(short?.[column(stops, 'changed')]).toBeNull();
    const flagged = tableOf(content, 'changes-after-entry', 'changes');
    expect(flagged.rows.map((r) => r[1])).toEqual(expect.arrayContaining(['Stops', 'Signatures (manifestation per 21 CFR 11.50)', 'Versions (from the audit trail)']));
  });

  it('shows the gate and every signature with its manifestation and validity; the edited one is no longer valid', async () => {
    const { content } = await record();
    const gates = tableOf(content, 'gates', 'gates');
    expect(gates.rows[0].slice(1, 7)).toEqual(['QC release', 'quality', expect.stringMatching(OFFSET_TIME), 'Quinn Quality', 'released', 'valid']);
    // genealogy: the lot's own pouching fed its kitting (derived from the routing)
    const consumed = tableOf(content, 'genealogy', 'consumed');
    expect(consumed.rows.map((r) => [r[column(consumed, 'consumedStep')], r[column(consumed, 'kitStep')], r[column(consumed, 'source')]])).toEqual([[1, 2, 'derived from the routing']]);
    // the release's audit-trail review is part of the record: how many items, by whom, which
    expect(String(gates.rows[0][column(gates, 'review')])).toMatch(/^\d+ items? reviewed by .+ at \d{4}-\d{2}-\d{2} .*[+-]\d{2}:\d{2}; .*\(seen\)/);
    const signatures = tableOf(content, 'signatures', 'signatures');
    expect(signatures.rows).toHaveLength(2);
    const [gate, closing] = signatures.rows;
    expect(gate[column(signatures, 'printedName')]).toBe('Quinn Quality');
    expect(gate[column(signatures, 'valid')]).toBe('valid');
    expect(gate[column(signatures, 'manifestation')]).toMatch(new RegExp(`^released by Quinn Quality \\(${made.quality.username}, quality\\) at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{2}:\\d{2} for pass-gate$`));
    expect(closing[column(signatures, 'action')]).toBe('Work order closed and signed');
    expect(closing[column(signatures, 'valid')]).toBe('NO LONGER VALID');
    expect(String(closing[column(signatures, 'changed')])).toMatch(/record was changed after signing/);
    // before the edit, the same signature was valid
    expect(tableOf(before.content, 'signatures', 'signatures').rows[1][column(signatures, 'valid')]).toBe('valid');
  });

  it('carries the audit trail of the work order and its stops, every time with its offset', async () => {
    const { content } = await record();
    const audit = tableOf(content, 'audit-trail', 'audit');
    const actions = audit.rows.map((r) => r[column(audit, 'action')]);
    expect(actions).toEqual(expect.arrayContaining(['Created', 'Gate signed', 'Work order closed and signed', 'Stop reason given', 'Changed']));
    expect(audit.rows.filter((r) => r[column(audit, 'record')] === 'Stop')).toHaveLength(3);
    for (const section of content.sections) {
      for (const tbl of section.tables) {
        tbl.columns.forEach((c, i) => {
          if (c.kind === 'time') for (const row of tbl.rows) if (row[i] !== null) expect(row[i]).toMatch(OFFSET_TIME);
        });
      }
    }
  });

  it('hashes the content: the same in two assemblies, different once the data changed', async () => {
    const ctx = { db: t.database.db, zone: TEST_ZONE, signedContent: SIGNED_CONTENT, now: Date.now() };
    const first = await assembleLotRecord(ctx, '910201');
    const second = await assembleLotRecord({ ...ctx, now: Date.now() + 1000 }, '910201');
    expect(contentHash(first)).toBe(contentHash(second));
    expect((await record()).contentHash).toBe(contentHash(first));
    expect(before.contentHash).not.toBe(contentHash(first));
    expect(before.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exports JSON, PDF and .xlsx with the same hash; the .xlsx is protected with filters on every table', async () => {
    const { contentHash: hash } = await record();
    const json = await t.inject({ method: 'GET', url: '/api/work-orders/910201/record.json' });
    expect(json.headers['content-disposition']).toMatch(/^attachment; filename="lot-record-910201-\d{8}-\d{6}\.json"$/);
    const exported = JSON.parse(json.body) as LotRecordExport;
    expect(exported.contentHash).toBe(hash);
    expect(contentHash(exported.content)).toBe(hash);
    expect(exported.generatedAt).toMatch(/[+-]\d{2}:\d{2}$/);

    const pdf = await t.inject({ method: 'GET', url: '/api/work-orders/910201/record.pdf' });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfStatedHash(pdf.rawPayload)).toBe(hash);

    const xlsx = await t.inject({ method: 'GET', url: '/api/work-orders/910201/record.xlsx' });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.subject).toContain(hash);
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getColumn(3).values).toContain(hash);
    const stops = workbook.getWorksheet('Stops')!;
    expect(stops).toBeDefined();
    for (const sheet of workbook.worksheets) {
      const protection = (sheet as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
      // exceljs reads back true for an action the protection allows (it writes autoFilter="0" sort="0")
      expect(protection, sheet.name).toEqual({ sheet: true, autoFilter: true, sort: true });
      expect(sheet.autoFilter, sheet.name).toBeTruthy();
      expect(sheet.views[0], sheet.name).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    expect(stops.getRow(1).getCell(1).value).toBe('Step');
    expect(stops.rowCount).toBe(3);
  });

  it('is read with plant:read; a viewer gets it too, and an unknown lot is 404', async () => {
    const viewer = await createTestUser(t.database.db, 'viewer');
    const asViewer = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), viewer));
    const res = await asViewer({ method: 'GET', url: '/api/work-orders/910201/record' });
    expect(res.statusCode).toBe(200);
    expect(res.json().contentHash).toBe((await record()).contentHash);
    expect((await t.inject({ method: 'GET', url: '/api/work-orders/NOPE/record.pdf' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/work-orders/910201/record' })).statusCode).toBe(401);
  });
});
