import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../core/errors.js';
import { DEMO_GROUPS, DEMO_PRODUCTS } from '../demo/plant.js';
import type { WorkOrder } from './schemas.js';
import { csvField, tableToCsv, tableToXlsx } from '../../shared/table-export.js';
import { describeRowError, normaliseHeader, parseWorkOrderFile, productResolver, type ParsedImport } from './spreadsheet.js';
import { workOrderExportTable, workOrderTemplate } from './spreadsheet-export.js';

const products = DEMO_PRODUCTS.map((p) => ({ key: p.key, name: p.name, itemNumber: p.itemNumber }));
const ZONE = 'America/Los_Angeles';

const csv = (text: string) => new TextEncoder().encode(text);
const parse = (bytes: Uint8Array, fileName?: string) => parseWorkOrderFile(bytes, { products, fileName });

async function xlsx(rows: unknown[][], setup?: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Orders');
  for (const row of rows) sheet.addRow(row);
  setup?.(sheet);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The file-level error a parse throws, as the user reads it. */
async function fileProblem(bytes: Uint8Array, fileName?: string): Promise<string> {
  const error = await parse(bytes, fileName).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Invalid);
  expect((error as Invalid).fields[0].path).toBe('file');
  return (error as Invalid).message;
}

const lots = (parsed: ParsedImport) => parsed.rows.map((r) => r.input.lot);

describe('reading work orders from CSV', () => {
  it('reads good rows with defaults and resolves products by key, item number and name', async () => {
    const parsed = await parse(
      csv(
        'lot,product,quantity,due,priority,notes,rateMode\n' +
          '0159070,strep-a-plus,200000,2026-12-01,2,first,observed\n' +
          '159071,1169100,5000,,,,\n' +
          '159072,  flu+sars fia ,"12,500",12/24/2026,,,Standard\n',
      ),
    );
    expect(parsed.format).toBe('csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { row: 2, input: { lot: '0159070', product: 'strep-a-plus', quantity: 200_000, due: '2026-12-01', priority: 2, notes: 'first', rateMode: 'observed' } },
      { row: 3, input: { lot: '159071', product: 'flu-ab', quantity: 5000, due: null, priority: 0, notes: '', rateMode: null } },
      { row: 4, input: { lot: '159072', product: 'flu-sars', quantity: 12_500, due: '2026-12-24', priority: 0, notes: '', rateMode: 'standard' } },
    ]);
  });

  it('keeps a quoted comma, quotes and line breaks inside a field', async () => {
    const parsed = await parse(csv('Lot,Product,Qty,Notes\r\n159070,rsv,10,"rush, call QA ""now""\nsecond line"\r\n159071,rsv,20,plain\r\n'));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.row, r.input.notes])).toEqual([
      [2, 'rush, call QA "now"\nsecond line'],
      [3, 'plain'],
    ]);
  });

  it('reports each bad row with its row number (header = row 1) and field; good rows are kept', async () => {
    const parsed = await parse(
      csv(
        'lot,product,quantity,due,priority,rate mode\n' +
          '159070,rsv,100,,,\n' + // row 2 ok
          '\n' + // row 3: blank lines count, as Excel shows them
          '159071,rsv,0,,,\n' + // row 4
          '159072,nope,10,soon,12,fast\n' + // row 5: four problems
          ',rsv,10,,,\n' + // row 6
          '159070,rsv,10,,,\n' + // row 7: duplicate in the file
          '159073,rsv,1.5,2026-02-30,,\n' + // row 8
          'bad lot!,rsv,ten,,,\n', // row 9
      ),
    );
    expect(lots(parsed)).toEqual(['159070']);
    expect(parsed.errors.map(describeRowError)).toEqual([
      'row 4, quantity: must be > 0',
      "row 5, product: unknown product 'nope' (use a product key, 7-digit item number or product name — see the Products sheet of the template)",
      "row 5, due: 'soon' is not a date (use YYYY-MM-DD, e.g. 2026-12-01)",
      'row 5, priority: must be a whole number from 0 to 9 (got 12)',
      "row 5, rateMode: must be 'standard', 'observed', 'recommended' or empty for the site default (got 'fast')",
      'row 6, lot: required',
      "row 7, lot: lot '159070' appears twice in the file (first in row 2)",
      "row 8, quantity: whole units only (no decimals) (got '1.5')",
      "row 8, due: '2026-02-30' is not a valid date",
      "row 9, quantity: must be a number (got 'ten')",
      'row 9, lot: use 1–40 letters, digits, . _ or - (e.g. 159070; leading zeros are kept)',
    ]);
  });

  it('reads text quantities the way the plant writes numbers and refuses the ambiguous ones', async () => {
    const parsed = await parse(
      csv('lot,product,quantity,priority\n' + 'N1,rsv,"30,000",\n' + 'N2,rsv,"1,5",\n' + 'N3,rsv,30.000,\n' + 'N4,rsv,"1.234,5",\n' + 'N5,rsv,2 500,1\n'),
    );
    expect(parsed.rows.map((r) => [r.input.lot, r.input.quantity])).toEqual([['N1', 30_000], ['N5', 2500]]);
    expect(parsed.errors.map(describeRowError)).toEqual([
      "row 3, quantity: unclear: whole units only — type 1,500 for a whole number (got '1,5')",
      "row 4, quantity: whole units only (no decimals) — did you mean 30,000? (got '30.000')",
      "row 5, quantity: write it as 1,234.5 (this site writes numbers like 1,234.5) (got '1.234,5')",
    ]);
    // a plant that writes numbers the German way (QMFG_LOCALE=de-DE)
    const german = await parseWorkOrderFile(csv('lot;product;quantity\nD1;rsv;30.000\nD2;rsv;1,5\n'), { products, locale: 'de-DE' });
    expect(german.rows.map((r) => [r.input.lot, r.input.quantity])).toEqual([['D1', 30_000]]);
    expect(german.errors.map(describeRowError)).toEqual(["row 3, quantity: whole units only (no decimals) (got '1,5')"]);
  });

  it('finds the header below a title line, with semicolons, and in windows-1252', async () => {
    const text = 'Orders for week 48;;\nLot #;Item number;Qty (units);Comments\n159070;1175000;1 000;Crème\n';
    const bytes = Uint8Array.from([...text].map((ch) => (ch === 'è' ? 0xe8 : ch.charCodeAt(0))));
    const parsed = await parse(bytes);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([{ row: 3, input: expect.objectContaining({ lot: '159070', product: 'rsv', quantity: 1000, notes: 'Crème' }) }]);
  });

  it('rejects an empty file, a header without rows, a missing column and a file that is not a spreadsheet', async () => {
    expect(await fileProblem(new Uint8Array(0), 'orders.csv')).toBe("file: 'orders.csv' is empty");
    expect(await fileProblem(csv('\ufeff \r\n'))).toBe('file: the file is empty');
    expect(await fileProblem(csv('lot,product,quantity\n\n'))).toBe('file: the file has a header row but no work orders below it');
    expect(await fileProblem(csv('lot,product,due\n1,rsv,2026-01-01\n'))).toBe(
      'file: the file has no header row with the columns Lot, Product and Quantity (row 1 reads: lot, product, due)',
    );
    const pdf = csv('%PDF-1.7\n\u0000\u0001binary');
    expect(await fileProblem(pdf, 'orders.pdf')).toBe("file: 'orders.pdf' is not a spreadsheet: upload an .xlsx workbook or a CSV file");
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(await fileProblem(xls, 'old.xls')).toMatch(/old Excel 97–2003 \(\.xls\) workbook: save it as \.xlsx/);
    const brokenZip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]);
    expect(await fileProblem(brokenZip, 'x.xlsx')).toMatch(/^file: 'x\.xlsx' is not a readable \.xlsx workbook \(/);
    expect(await fileProblem(csv('lot,product,quantity\n"159070,rsv,1\n'))).toMatch(/is not valid CSV \(line 2\): Quote Not Closed/);
  });
});

describe('reading work orders from .xlsx', () => {
  it('turns numeric lot and item-number cells into text without ".0", keeps padded lots and text lots', async () => {
    const bytes = await xlsx(
      [
        ['Lot', 'Item number', 'Qty', 'Due date', 'Priority', 'Notes', 'Rate mode'],
        [159070, 1330700, 200000, new Date(Date.UTC(2026, 11, 1)), 1, 'numeric lot', null],
        ['0159071', 'Strep A+ FIA', 1000, new Date(Date.UTC(2026, 11, 1, 14, 30)), null, { richText: [{ text: 'rich ' }, { text: 'text' }] }, 'observed'],
        [159072, 'rsv', { formula: '100*5', result: 500 }, 46357, null, null, null],
        [],
        ['x y', 'rsv', -5, null, null, null, null],
      ],
      (sheet) => {
        // a numeric lot formatted "0000000" shows (and so imports) as 0159072
        sheet.getCell('A4').numFmt = '0000000';
      },
    );
    const parsed = await parse(bytes, 'orders.xlsx');
    expect(parsed.format).toBe('xlsx');
    expect(parsed.sheet).toBe('Orders');
    expect(parsed.rows).toEqual([
      { row: 2, input: { lot: '159070', product: 'strep-a-plus', quantity: 200_000, due: '2026-12-01', priority: 1, notes: 'numeric lot', rateMode: null } },
      { row: 3, input: { lot: '0159071', product: 'strep-a-plus', quantity: 1000, due: '2026-12-01T14:30:00', priority: 0, notes: 'rich text', rateMode: 'observed' } },
      // 46357 = the serial number of 2026-12-01 in a cell that lost its date format
      { row: 4, input: { lot: '0159072', product: 'rsv', quantity: 500, due: '2026-12-01', priority: 0, notes: '', rateMode: null } },
    ]);
    expect(parsed.errors.map(describeRowError)).toEqual([
      'row 6, lot: use 1–40 letters, digits, . _ or - (e.g. 159070; leading zeros are kept)',
      'row 6, quantity: must be > 0',
    ]);
  });

  it('uses the first sheet that has the header and reports sheet row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Cover').addRow(['Work orders for December']);
    const sheet = workbook.addWorksheet('Data');
    sheet.getCell('B3').value = 'LOT';
    sheet.getCell('C3').value = 'PRODUCT';
    sheet.getCell('D3').value = 'QUANTITY';
    sheet.getCell('B5').value = 'A-1';
    sheet.getCell('C5').value = 'rsv';
    sheet.getCell('D5').value = 0;
    sheet.getCell('B6').value = 'A-2';
    sheet.getCell('C6').value = 'rsv';
    sheet.getCell('D6').value = 7;
    const parsed = await parse(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(parsed.sheet).toBe('Data');
    expect(parsed.rows.map((r) => [r.row, r.input.lot, r.input.quantity])).toEqual([[6, 'A-2', 7]]);
    expect(parsed.errors).toEqual([{ row: 5, field: 'quantity', message: 'must be > 0' }]);
  });

  it('reads back its own template: the example row imports, the Products sheet lists every product', async () => {
    const bytes = await workOrderTemplate(DEMO_PRODUCTS, new Map(DEMO_GROUPS.map((g) => [g.key, g.name])), '2026-11-25');
    const parsed = await parse(bytes, 'template.xlsx');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      { row: 2, input: { lot: '0159070', product: 'flu-ab', quantity: 200_000, due: '2026-12-09', priority: 0, notes: expect.stringMatching(/^Example row/), rateMode: 'standard' } },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Work orders', 'Products']);
    const orders = workbook.getWorksheet('Work orders')!;
    expect(orders.getRow(1).values).toEqual([undefined, 'Lot', 'Product', 'Quantity', 'Due', 'Priority', 'Notes', 'Rate mode']);
    expect(orders.getCell('G2').dataValidation).toMatchObject({ type: 'list', formulae: ['"standard,observed,recommended"'] });
    expect(orders.getCell('G500').dataValidation).toMatchObject({ type: 'list' });
    expect(orders.getCell('A2').value).toBe('0159070');
    const list = workbook.getWorksheet('Products')!;
    expect(list.getRow(1).values).toEqual([undefined, 'Key', 'Item number', 'Name', 'Short name', 'Routing']);
    expect(list.rowCount).toBe(1 + DEMO_PRODUCTS.length);
    expect(list.getRow(2).values).toEqual([undefined, 'flu-ab', '1169100', 'Flu A/B FIA', 'Flu A/B', 'Pouching – iTrak → Kitting']);
  });
});

describe('header and product matching', () => {
  it('normalises header spellings', () => {
    expect(['Lot', 'LOT #', 'Lot No.', 'Item number', 'Qty (units)', 'Due Date', 'Rate mode'].map(normaliseHeader)).toEqual([
      'lot', 'lot#', 'lotno', 'itemnumber', 'qty', 'duedate', 'ratemode',
    ]);
  });
  it('refuses a product name that several products share', () => {
    const resolve = productResolver([
      { key: 'a', name: 'Kit', itemNumber: '1000001' },
      { key: 'b', name: 'kit', itemNumber: '1000002' },
    ]);
    expect(resolve('A')).toEqual({ key: 'a' });
    expect(resolve('1000002')).toEqual({ key: 'b' });
    expect(resolve('KIT')).toEqual({ error: "'KIT' names several products (a, b); use the product key or item number" });
  });
});

describe('writing the work-order export', () => {
  const op = (step: number, over: Partial<WorkOrder['operations'][number]> = {}): WorkOrder['operations'][number] => ({
    step, group: 'g', groupName: step === 0 ? 'Pouching – iTrak' : 'Kitting', state: 'queued', machine: 'line7', machineName: 'Line 7', position: 1,
    produced: 0, good: 0, scrap: 0, ratePerHour: 5000, observedRatePerHour: null, gate: null, forecastStart: null, forecastEnd: null, changeoverMinutes: 0, changeoverEnd: null, late: false, pinned: false,
    estimatedStart: null, estimatedEnd: null, actualStart: null, actualEnd: null, ...over,
  });
  const view = (over: Partial<WorkOrder>): WorkOrder => ({
    lot: '159070', product: 'rsv', productName: 'RSV FIA', itemNumber: '1175000', color: '#c0392b', quantity: 1000, due: null, priority: 0,
    notes: '', rateMode: null, effectiveRateMode: 'standard', status: 'planned', late: false, lateRisk: false, forecastEnd: null, estimatedEnd: null, produced: 0, producedStep: null, signed: false, operations: [],
    version: 1, createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', ...over,
  });
  // 2026-12-02T08:00Z is local midnight in Los Angeles: a due entered as the date 2026-12-01
  const views = [
    view({
      lot: '0159070', due: '2026-12-02T08:00:00.000Z', late: true, forecastEnd: '2026-12-03T01:15:00.000Z', produced: 12, notes: 'rush, "today"\n2nd line',
      operations: [op(0, { state: 'running', produced: 500, forecastStart: '2026-11-30T14:30:00.000Z', forecastEnd: '2026-12-01T20:00:00.000Z' }), op(1, { produced: 12, forecastEnd: '2026-12-03T01:15:00.000Z' })],
    }),
    view({ lot: '159071', due: '2026-12-05T22:30:00.000Z', lateRisk: true, notes: '=HYPERLINK("x")', rateMode: 'observed', operations: [op(0, { state: 'parked', machine: null, machineName: null, position: null })] }),
  ];

  it('quotes CSV fields per RFC 4180 and writes plant-local times with a BOM and CRLF', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain')).toBe('plain');
    const text = tableToCsv(workOrderExportTable(views), ZONE);
    expect(text.startsWith('\ufeffLot,Product,Item number,Quantity,Due,Status,Forecast end,Late,Produced,Priority,Rate mode,Notes,Step 1 process,')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0].split(',')).toHaveLength(12 + 2 * 6);
    expect(lines[1]).toBe(
      '0159070,RSV FIA,1175000,1000,2026-12-01,planned,2026-12-02 17:15,yes,12,0,,"rush, ""today""\n2nd line",' +
        'Pouching – iTrak,Line 7,running,500,2026-11-30 06:30,2026-12-01 12:00,Kitting,Line 7,queued,12,,2026-12-02 17:15',
    );
    // a formula-like text is defused; a due with a time keeps it; missing steps stay empty
    expect(lines[2]).toBe(`159071,RSV FIA,1175000,1000,2026-12-05 14:30,planned,,at risk,0,0,observed,"'=HYPERLINK(""x"")",Pouching – iTrak,,parked,0,,,,,,,,`);
    expect(lines[3]).toBe('');
  });

  it('writes an .xlsx whose cells hold text lots, numbers and plant-local dates', async () => {
    const bytes = await tableToXlsx(workOrderExportTable(views), ZONE);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Work orders')!;
    expect(sheet.getCell('A2').value).toBe('0159070');
    expect(sheet.getCell('D2').value).toBe(1000);
    expect(sheet.getCell('E2').value).toEqual(new Date(Date.UTC(2026, 11, 1)));
    expect(sheet.getCell('E2').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('G2').value).toEqual(new Date(Date.UTC(2026, 11, 2, 17, 15)));
    expect(sheet.getCell('L2').value).toBe('rush, "today"\n2nd line');
    expect(sheet.getCell('E3').value).toEqual(new Date(Date.UTC(2026, 11, 5, 14, 30)));
    expect(sheet.getCell('L3').value).toBe('=HYPERLINK("x")');
    expect(sheet.getCell('G3').value).toBeNull();
    // and it imports again: Product holds the name, the due date comes back as the same day
    const parsed = await parse(new Uint8Array(bytes));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.input.lot, r.input.product, r.input.due, r.input.rateMode])).toEqual([
      ['0159070', 'rsv', '2026-12-01', null],
      ['159071', 'rsv', '2026-12-05T14:30:00', 'observed'],
    ]);
  });
});
