import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { verifyAuditChain } from '../audit/repository.js';

const ZONE = 'America/Los_Angeles';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbookBytes(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Orders');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What a browser sends for `FormData` with a picked file. */
async function multipartBody(bytes: Uint8Array, fileName: string, type: string): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const plantToday = () => DateTime.now().setZone(ZONE).toISODate();

describe.each(DIALECTS)('work-order import and export on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'orders-io');
  });
  afterAll(async () => t?.close());

  const json = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const res = await t.app.inject({ method, url, payload });
    return { status: res.statusCode, body: res.json() };
  };
  const upload = async (bytes: Uint8Array, fileName: string, type: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/work-orders/import', ...(await multipartBody(bytes, fileName, type)) });
    return { status: res.statusCode, body: res.json() };
  };

  it('serves the import template with the products sheet', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/work-orders/template.xlsx' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="qmfg-work-orders-template.xlsx"');
    const workbook = await readWorkbook(res.rawPayload);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Work orders', 'Products']);
    const products = workbook.getWorksheet('Products')!;
    const keys = products.getColumn(1).values.slice(2);
    expect(keys).toEqual(['flu-ab', 'flu-sars', 'rsv', 'sars-ag', 'strep-a-inline', 'strep-a-plus']);
    expect(workbook.getWorksheet('Work orders')!.getCell('G2').dataValidation.formulae).toEqual(['"standard,observed,recommended"']);
  });

  it('imports the good rows of an .xlsx upload and reports each bad row and existing lot', async () => {
    expect((await json('POST', '/api/work-orders', { lot: '159001', product: 'rsv', quantity: 10 })).status).toBe(201);
    const bytes = await workbookBytes([
      ['Lot', 'Item number', 'Qty', 'Due', 'Priority', 'Notes', 'Rate mode'],
      ['0159070', 1330700, 200000, new Date(Date.UTC(2030, 0, 15)), 3, 'from xlsx', 'observed'], // row 2
      [159071, 'Flu A/B FIA', 5000, null, null, null, null], // row 3: numeric lot
      [159001, 'rsv', 10, null, null, null, null], // row 4: exists already
      ['159072', 'rsv', 0, null, null, null, null], // row 5
      ['159073', 'unknown', 10, null, null, null, null], // row 6
    ]);
    const res = await upload(bytes, 'orders.xlsx', XLSX);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      imported: 2,
      errors: [
        { row: 4, field: 'lot', message: "work order '159001' already exists" },
        { row: 5, field: 'quantity', message: 'must be > 0' },
        { row: 6, field: 'product', message: expect.stringMatching(/^unknown product 'unknown'/) },
      ],
    });
    const first = (await json('GET', '/api/work-orders/0159070')).body;
    expect(first).toMatchObject({ lot: '0159070', product: 'strep-a-plus', quantity: 200_000, priority: 3, notes: 'from xlsx', rateMode: 'observed', status: 'parked' });
    // "2030-01-15" = by the end of that plant-local day
    expect(first.due).toBe(DateTime.fromISO('2030-01-16T00:00', { zone: ZONE }).toUTC().toISO());
    expect((await json('GET', '/api/work-orders/159071')).body).toMatchObject({ product: 'flu-ab', due: null });
    expect((await json('GET', '/api/work-orders/159072')).status).toBe(404);
    // every imported work order is audited, with the file and row as the reason
    const history = (await json('GET', '/api/work-orders/0159070/history')).body;
    expect(history).toEqual([expect.objectContaining({ action: 'create', reason: "imported from 'orders.xlsx', row 2" })]);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  it('previews an import row by row without writing anything; the commit re-checks and creates the good rows', async () => {
    expect((await json('POST', '/api/work-orders', { lot: 'P159001', product: 'rsv', quantity: 10 })).status).toBe(201);
    const count = async (table: 'work_orders' | 'operations' | 'audit_log') =>
      Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const counts = async () => ({ workOrders: await count('work_orders'), operations: await count('operations'), audit: await count('audit_log') });
    const bytes = await workbookBytes([
      ['Lot', 'Product', 'Quantity', 'Due'],
      ['P159070', 'rsv', '12,500', new Date(Date.UTC(2030, 0, 15))], // row 2: good, text quantity with a thousands separator
      ['P159001', 'rsv', 10, null], // row 3: exists already
      ['P159072', 'rsv', '1,5', null], // row 4: could be 1.5 or 1,500
      ['P159073', 'nope', 5000, null], // row 5
    ]);
    const before = await counts();
    const res = await t.app.inject({ method: 'POST', url: '/api/work-orders/import/preview', ...(await multipartBody(bytes, 'week3.xlsx', XLSX)) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      fileName: 'week3.xlsx',
      sheet: 'Orders',
      toCreate: 1,
      withErrors: 3,
      rows: [
        { row: 2, lot: 'P159070', product: 'rsv', quantity: '12,500', due: '2030-01-15', create: { lot: 'P159070', product: 'rsv', productName: 'RSV FIA', quantity: 12_500, due: '2030-01-15' }, errors: [] },
        { row: 3, lot: 'P159001', product: 'rsv', quantity: '10', due: null, create: null, errors: [{ field: 'lot', message: "work order 'P159001' already exists" }] },
        {
          row: 4, lot: 'P159072', product: 'rsv', quantity: '1,5', due: null, create: null,
          errors: [{ field: 'quantity', message: "unclear: whole units only — type 1,500 for a whole number (got '1,5')" }],
        },
        { row: 5, lot: 'P159073', product: 'nope', quantity: '5000', due: null, create: null, errors: [{ field: 'product', message: expect.stringMatching(/^unknown product 'nope'/) }] },
      ],
    });
    expect(await counts()).toEqual(before);
    expect((await json('GET', '/api/work-orders/P159070')).status).toBe(404);

    // confirming sends the file again: it is checked again and only the good row goes in
    const commit = await upload(bytes, 'week3.xlsx', XLSX);
    expect(commit.body).toEqual({ imported: 1, errors: res.json().rows.flatMap((r: { row: number; errors: { field: string; message: string }[] }) => r.errors.map((e) => ({ row: r.row, ...e }))) });
    expect((await json('GET', '/api/work-orders/P159070')).body).toMatchObject({ quantity: 12_500, product: 'rsv' });
    expect((await counts()).workOrders).toBe(before.workOrders + 1);
    // a file that cannot be read at all is refused by the preview the same way as by the import
    const empty = await t.app.inject({ method: 'POST', url: '/api/work-orders/import/preview?filename=empty.csv', headers: { 'content-type': 'text/csv' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe("file: 'empty.csv' is empty");
  });

  it('imports a CSV sent as the raw body, quoted commas included', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders/import?filename=week48.csv',
      headers: { 'content-type': 'text/csv' },
      payload: '\ufeffLot,Product,Quantity,Due,Notes\r\n00159080,rsv,"1,500",2030-02-01 14:00,"QA: hold, then release"\r\n',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ imported: 1, errors: [] });
    const wo = (await json('GET', '/api/work-orders/00159080')).body;
    expect(wo).toMatchObject({ quantity: 1500, notes: 'QA: hold, then release' });
    expect(wo.due).toBe(DateTime.fromISO('2030-02-01T14:00', { zone: ZONE }).toUTC().toISO());
    const history = (await json('GET', '/api/work-orders/00159080/history')).body;
    expect(history[0].reason).toBe("imported from 'week48.csv', row 2");
  });

  it('refuses an empty upload, a file that is not a spreadsheet and a file over 10 MB', async () => {
    const empty = await upload(new Uint8Array(0), 'empty.csv', 'text/csv');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toEqual({ code: 'invalid', message: "file: 'empty.csv' is empty", fields: [{ path: 'file', message: "'empty.csv' is empty" }] });
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const notSheet = await upload(png, 'photo.png', 'image/png');
    expect(notSheet.status).toBe(400);
    expect(notSheet.body.error.message).toBe("file: 'photo.png' is not a spreadsheet: upload an .xlsx workbook or a CSV file");
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 'a');
    const tooBigForm = await upload(big, 'big.csv', 'text/csv');
    expect(tooBigForm.status).toBe(413);
    expect(tooBigForm.body.error).toEqual({ code: 'too_large', message: 'the file is larger than 10 MB; split it into smaller files' });
    const tooBigRaw = await t.app.inject({ method: 'POST', url: '/api/work-orders/import', headers: { 'content-type': 'text/csv' }, payload: big });
    expect(tooBigRaw.statusCode).toBe(413);
    expect(tooBigRaw.json().error.code).toBe('too_large');
  });

  it('exports the filtered list as .xlsx with per-operation columns, and it re-imports as "already exists"', async () => {
    await json('POST', '/api/work-orders/0159070/operations/0/load', { machine: 'line7', mode: 'append' });
    await json('POST', '/api/work-orders/0159070/operations/0/counts', { produced: 1200 });
    const res = await t.app.inject({ method: 'GET', url: '/api/work-orders/export.xlsx?product=strep-a-plus' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="qmfg-work-orders-${plantToday()}.xlsx"`);
    const sheet = (await readWorkbook(res.rawPayload)).getWorksheet('Work orders')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 12)).toEqual(['Lot', 'Product', 'Item number', 'Quantity', 'Due', 'Status', 'Forecast end', 'Late', 'Produced', 'Priority', 'Rate mode', 'Notes']);
    expect(header.slice(12)).toEqual([
      'Step 1 process', 'Step 1 machine', 'Step 1 state', 'Step 1 produced', 'Step 1 start', 'Step 1 end',
      'Step 2 process', 'Step 2 machine', 'Step 2 state', 'Step 2 produced', 'Step 2 start', 'Step 2 end',
      'Electronic signatures',
    ]);
    expect(sheet.rowCount).toBe(2); // only the strep-a-plus lot
    // Produced is the lot's progress: pouching's 1200 good units (it read 0 while kitting had not started)
    const wo = (await json('GET', '/api/work-orders/0159070')).body;
    const pouch = wo.operations[0];
    const cell = (col: string) => sheet.getCell(`${col}2`).value;
    const localCell = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).setZone('utc', { keepLocalTime: true }).toJSDate();
    expect([cell('A'), cell('B'), cell('C'), cell('D'), cell('F'), cell('H'), cell('I'), cell('J'), cell('K'), cell('L')]).toEqual([
      '0159070', 'Strep A+ FIA', '1330700', 200_000, 'in-progress', wo.late ? 'yes' : wo.lateRisk ? 'at risk' : 'no', 1200, 3, 'observed', 'from xlsx',
    ]);
    expect(cell('E')).toEqual(new Date(Date.UTC(2030, 0, 15)));
    expect(sheet.getCell('E2').numFmt).toBe('yyyy-mm-dd');
    expect([cell('M'), cell('N'), cell('O'), cell('P')]).toEqual(['Pouching – iTrak', 'Line 7', 'running', 1200]);
    expect(pouch.forecastEnd).not.toBeNull();
    expect(cell('Q')).toEqual(localCell(pouch.forecastStart));
    expect(cell('R')).toEqual(localCell(pouch.forecastEnd));
    expect(cell('G')).toEqual(wo.forecastEnd === null ? null : localCell(wo.forecastEnd));
    expect([cell('S'), cell('T'), cell('U'), cell('V')]).toEqual(['Kitting', null, 'parked', 0]);

    const again = await upload(res.rawPayload, 'export.xlsx', XLSX);
    expect(again.body).toEqual({ imported: 0, errors: [{ row: 2, field: 'lot', message: "work order '0159070' already exists" }] });
  });

  it('exports CSV with a BOM, RFC 4180 quoting and plant-local times', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/work-orders/export.csv?sort=lot' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="qmfg-work-orders-${plantToday()}.csv"`);
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(res.body).toContain('"QA: hold, then release"');
    const records = parseCsv(res.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.Lot)).toEqual(['00159080', '0159070', '159001', '159071', 'P159001', 'P159070']);
    const byLot = new Map(records.map((r) => [r.Lot, r]));
    expect(byLot.get('00159080')).toMatchObject({ Product: 'RSV FIA', Quantity: '1500', Due: '2030-02-01 14:00', Notes: 'QA: hold, then release', Late: 'no' });
    const wo = (await json('GET', '/api/work-orders/0159070')).body;
    expect(byLot.get('0159070')).toMatchObject({
      Due: '2030-01-15',
      'Step 1 machine': 'Line 7',
      'Step 1 end': DateTime.fromISO(wo.operations[0].forecastEnd, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm'),
    });
    const filtered = await t.app.inject({ method: 'GET', url: '/api/work-orders/export.csv?status=parked&sort=lot' });
    expect((parseCsv(filtered.body, { bom: true, columns: true }) as Record<string, string>[]).map((r) => r.Lot)).toEqual(['00159080', '159001', '159071', 'P159001', 'P159070']);
    expect((await t.app.inject({ method: 'GET', url: '/api/work-orders/export.csv?status=bogus' })).statusCode).toBe(400);
  });
});
