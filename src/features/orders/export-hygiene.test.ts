// Exports stay readable whatever a text holds: characters XML cannot carry (U+FFFE, U+FFFF,
// control characters) are replaced in the .xlsx and CSV exports of work orders and the audit trail.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { xmlSafeText } from '../../shared/table-export.js';

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

const HOSTILE = 'before\uFFFE\uFFFF\u0001\u0008after';

describe('exports with characters XML cannot carry', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'export-hygiene');
    const created = await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'XMLBAD1', product: 'strep-a-plus', quantity: 1000, notes: HOSTILE } });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => t?.close());

  it('replaces them, keeping tabs, line breaks and everything else', () => {
    expect(xmlSafeText(HOSTILE)).toBe('before\uFFFD\uFFFD\uFFFD\uFFFDafter');
    expect(xmlSafeText('a\tb\nc\r\nd – ü 😀')).toBe('a\tb\nc\r\nd – ü 😀');
    expect(xmlSafeText('lone \uD800 high')).toBe('lone \uFFFD high');
  });

  it('writes a well-formed work-order .xlsx and CSV', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/work-orders/export.xlsx' });
    expect(res.statusCode).toBe(200);
    const sheet = (await readWorkbook(res.rawPayload)).worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((r) => r.getCell(1).value === 'XMLBAD1');
    expect(row?.getCell(headers.indexOf('Notes') + 1).value).toBe('before\uFFFD\uFFFD\uFFFD\uFFFDafter');
    const csv = await t.app.inject({ method: 'GET', url: '/api/work-orders/export.csv' });
    expect(csv.body).toContain('before\uFFFD\uFFFD\uFFFD\uFFFDafter');
  });

  it('writes a well-formed audit .xlsx', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/audit/export.xlsx?entity=work-order' });
    expect(res.statusCode).toBe(200);
    const workbook = await readWorkbook(res.rawPayload);
    const cells: string[] = [];
    workbook.worksheets[0].eachRow((r) => r.eachCell((c) => cells.push(String(c.value))));
    expect(cells.some((c) => c.includes('XMLBAD1'))).toBe(true);
    expect(cells.join('\n')).not.toMatch(/[\uFFFE\uFFFF\u0001\u0008]/);
  });
});
