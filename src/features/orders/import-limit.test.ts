// The work-order import's row limit is checked while the file streams (issue 10 item 8): a 200 000-row
// .xlsx (and CSV) is refused at row 5 001 with the limit message, fast, without parsing the rest, and
// /api/health (real HTTP, the same event loop) keeps answering meanwhile. The files are generated at
// test time (the .xlsx with ExcelJS' streaming writer into a temp file).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthWhile } from '../../testing/health-probe.js';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { tempFolder } from '../../testing/machine-data.js';
import { MAX_IMPORT_ROWS, parseWorkOrderFile } from './spreadsheet.js';

const ROWS = 200_000;
const LIMIT_MESSAGE = new RegExp(`more than ${MAX_IMPORT_ROWS} work orders \\(reading stopped at row \\d+\\); import at most ${MAX_IMPORT_ROWS} per file`);

async function writeLargeWorkbook(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('Orders');
  sheet.addRow(['Lot', 'Product', 'Quantity', 'Due', 'Notes']).commit();
  for (let i = 1; i <= rows; i++) sheet.addRow([`L${String(i).padStart(7, '0')}`, 'rsv', 1000 + (i % 500), new Date(Date.UTC(2030, 0, 1 + (i % 300))), `row ${i}`]).commit();
  sheet.commit();
  await workbook.commit();
}

function largeCsv(rows: number): Buffer {
  const lines = ['Lot,Product,Quantity,Due'];
  for (let i = 1; i <= rows; i++) lines.push(`L${String(i).padStart(7, '0')},rsv,${1000 + (i % 500)},2030-01-15`);
  return Buffer.from(lines.join('\n') + '\n');
}

/** ExcelJS parks worksheets read before the shared strings in temp files named tmp-<pid>-…, removed asynchronously: none may stay. */
async function parkedSheets(): Promise<string[]> {
  const parked = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));
  for (let waited = 0; parked().length > 0 && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return parked();
}

/** What a browser sends for `FormData` with a picked file. */
async function multipartBody(bytes: Uint8Array, fileName: string, type: string): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), fileName);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

describe('work-order import row limit while streaming (sqlite)', () => {
  let t: TestApp;
  let base: string;
  const folder = tempFolder('import-limit');
  const xlsxPath = join(folder.path, 'orders-200k.xlsx');

  beforeAll(async () => {
    const started = performance.now();
    await writeLargeWorkbook(xlsxPath, ROWS);
    console.log(`generated ${ROWS} rows: ${(statSync(xlsxPath).size / 1024 / 1024).toFixed(1)} MB .xlsx in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    t = await createTestApp('sqlite', 'import_limit');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    folder.remove();
  });

  it.each([
    ['import', '/api/work-orders/import'],
    ['preview', '/api/work-orders/import/preview'],
  ])('a 200 000-row .xlsx is refused at row 5 001, fast, health answering (%s)', async (_name, url) => {
    const bytes = readFileSync(xlsxPath);
    const body = await multipartBody(bytes, 'orders-200k.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { result, ms, worstMs, probes } = await healthWhile(base, () => t.app.inject({ method: 'POST', url, ...body }));
    console.log(`${_name}: 200 000-row .xlsx (${(bytes.length / 1024 / 1024).toFixed(1)} MB) refused in ${ms.toFixed(0)} ms; health worst ${worstMs.toFixed(0)} ms over ${probes} probes`);
    expect(result.statusCode, result.body).toBe(400);
    expect(result.json().error).toMatchObject({ code: 'invalid', message: expect.stringMatching(LIMIT_MESSAGE), fields: [{ path: 'file' }] });
    expect(result.json().error.message).toContain("'orders-200k.xlsx'");
    // before: the whole workbook was loaded first (~6 s unloaded, 23–48 s on a busy 2-core machine)
    expect(ms).toBeLessThan(5000);
    expect(worstMs).toBeLessThan(1000);
    const list = await t.app.inject({ url: '/api/work-orders?limit=10' });
    expect(list.json()).toEqual([]);
    expect(await parkedSheets()).toEqual([]);
  }, 60_000);

  it('a 200 000-row CSV is refused the same way', async () => {
    const csv = largeCsv(ROWS);
    const { result, ms, worstMs, probes } = await healthWhile(base, () => t.app.inject({ method: 'POST', url: '/api/work-orders/import?filename=orders.csv', headers: { 'content-type': 'text/csv' }, payload: csv }));
    console.log(`200 000-row CSV (${(csv.length / 1024 / 1024).toFixed(1)} MB) refused in ${ms.toFixed(0)} ms; health worst ${worstMs.toFixed(0)} ms over ${probes} probes`);
    expect(result.statusCode, result.body).toBe(400);
    expect(result.json().error.message).toMatch(LIMIT_MESSAGE);
    expect(ms).toBeLessThan(2500);
    expect(worstMs).toBeLessThan(1000);
  }, 60_000);

  it('exactly 5 000 rows still import (the limit is not off by one), and blank rows do not count', async () => {
    const lines = ['Lot,Product,Quantity'];
    for (let i = 1; i <= MAX_IMPORT_ROWS; i++) lines.push(`K${i},rsv,10`, i % 1000 === 0 ? ',,' : '');
    const parsed = await parseWorkOrderFile(Buffer.from(lines.join('\n')), { products: [{ key: 'rsv', name: 'RSV FIA', itemNumber: '1175000' }] });
    expect(parsed.rows).toHaveLength(MAX_IMPORT_ROWS);
    expect(parsed.errors).toEqual([]);
    await expect(parseWorkOrderFile(Buffer.from(`${lines.join('\n')}\nK5001,rsv,10\n`), { products: [] })).rejects.toThrow(LIMIT_MESSAGE);
  });

  it('a workbook written in one piece is refused the same way, its later sheets passed over', async () => {
    const workbook = new ExcelJS.Workbook();
    const orders = workbook.addWorksheet('Orders');
    orders.addRow(['Lot', 'Product', 'Quantity']);
    for (let i = 1; i <= MAX_IMPORT_ROWS + 500; i++) orders.addRow([`M${i}`, 'rsv', 10]);
    workbook.addWorksheet('More').addRow(['Lot', 'Product', 'Quantity']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    await expect(parseWorkOrderFile(bytes, { products: [], fileName: 'one-piece.xlsx' })).rejects.toThrow(LIMIT_MESSAGE);
    expect(await parkedSheets()).toEqual([]);
  });
});
