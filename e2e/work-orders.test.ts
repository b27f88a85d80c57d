// The work-order list: create with the form (a field error first), a stale edit caught and resolved,
// delete with confirmation, search / filter / sort, import a CSV with a bad row (by file picker and
// by dropping the file on the page), and exports read back with ExcelJS.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import type { WorkOrder } from '../src/features/orders/schemas.js';
import { expectHidden, expectText, expectValue, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();

const plantDate = (daysAhead: number) => DateTime.now().setZone(e2e.config.QMFG_TZ).plus({ days: daysAhead }).toISODate() as string;

async function createOrder(lot: string, product: string, quantity: number, extra: Record<string, unknown> = {}): Promise<WorkOrder> {
  const created = await e2e.api<WorkOrder>('/api/work-orders', { method: 'POST', body: { lot, product, quantity, ...extra } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

async function openList(page: Page, query = ''): Promise<void> {
  await page.goto(`/work-orders${query}`);
  await expectVisible(page.getByTestId('page-work-orders'));
}

/** Lots of the table rows, top to bottom. */
async function shownLots(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid^="wo-row-"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid') ?? ''));
  return ids.map((id) => id.replace('wo-row-', ''));
}

async function expectLots(page: Page, check: (lots: string[]) => boolean, what: string): Promise<string[]> {
  const deadline = Date.now() + 5000;
  let lots: string[] = [];
  while (Date.now() < deadline) {
    lots = await shownLots(page);
    if (check(lots)) return lots;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`expected the table to show ${what}; it shows ${lots.join(', ') || 'nothing'}`);
}

describe('work orders page', () => {
  it('creates an order with the form after a field error, catches a stale edit, and deletes with confirmation', async () => {
    const page = await e2e.newPage();
    await openList(page);
    await page.getByTestId('wo-new').click();
    await expectVisible(page.getByTestId('wo-form'));
    await page.getByTestId('wo-lot').fill('0159100');
    await page.getByTestId('wo-product').selectOption('rsv');
    await page.getByTestId('wo-quantity').fill('0');
    const due = plantDate(9);
    await page.getByTestId('wo-due').fill(due);
    await page.getByTestId('wo-save').click();
    await expectText(page.getByTestId('field-error-quantity'), 'must be > 0');
    expect((await e2e.api('/api/work-orders/0159100')).status).toBe(404);

    await page.getByTestId('wo-quantity').fill('25000');
    // capable-to-promise: the form says when it could be done if ordered now, the same as the API
    const promised = await e2e.api<{ untouched: { end: string; steps: { machine: string }[] } }>('/api/schedule/promise', { method: 'POST', body: { product: 'rsv', quantity: 25000 } });
    expect(promised.status).toBe(200);
    await expectText(page.getByTestId('wo-promise-untouched'), promised.body.untouched.steps.map((s) => s.machine).join(' → '));
    mkdirSync(screenshotDir, { recursive: true });
    await page.getByTestId('wo-form').screenshot({ path: join(screenshotDir, 'work-order-promise.png') });
    await page.getByTestId('wo-save').click();
    await expectHidden(page.getByTestId('wo-form'));
    await expectText(page.getByTestId('wo-row-0159100'), '25,000');

    // the server's answer lands on the field too: the lot exists now
    e2e.allowConsoleErrors(/409/);
    await page.getByTestId('wo-new').click();
    await page.getByTestId('wo-lot').fill('0159100');
    await page.getByTestId('wo-quantity').fill('100');
    await page.getByTestId('wo-save').click();
    await expectText(page.getByTestId('field-error-lot'), "work order '0159100' already exists");
    await page.keyboard.press('Escape');
    await expectHidden(page.getByTestId('wo-form'));
    const saved = (await e2e.api<WorkOrder>('/api/work-orders/0159100')).body;
    expect(saved).toMatchObject({ lot: '0159100', product: 'rsv', quantity: 25_000, status: 'parked' });
    // "2026-12-01" means the end of that plant day
    expect(DateTime.fromISO(saved.due ?? '').setZone(e2e.config.QMFG_TZ).minus({ milliseconds: 1 }).toISODate()).toBe(due);

    // edit while someone else saves the same order: the form says so and loads their version
    await page.getByTestId('wo-row-0159100').click();
    await expectVisible(page.getByTestId('wo-panel'));
    await expectText(page.getByTestId('wo-summary'), 'RSV FIA');
    // the due day typed is the day shown (stored as the midnight after it)
    const typed = DateTime.fromISO(due, { zone: e2e.config.QMFG_TZ });
    const sameYear = typed.year === DateTime.now().setZone(e2e.config.QMFG_TZ).year;
    await expectText(page.getByTestId('wo-summary-due'), typed.toFormat(sameYear ? 'ccc d LLL' : 'ccc d LLL yyyy'));
    await page.getByTestId('wo-edit').click();
    await expectValue(page.getByTestId('wo-quantity'), '25000');
    await expectValue(page.getByTestId('wo-due'), due);
    const other = await e2e.api<WorkOrder>('/api/work-orders/0159100', { method: 'PATCH', body: { quantity: 26_000, due: saved.due, version: saved.version } });
    expect(other.status).toBe(200);
    await page.getByTestId('wo-quantity').fill('30000');
    await page.getByTestId('wo-save').click();
    await expectText(page.getByTestId('wo-stale'), 'Someone else saved lot 0159100');
    await page.getByTestId('wo-reload-latest').click();
    await expectValue(page.getByTestId('wo-quantity'), '26000');
    await page.getByTestId('wo-quantity').fill('30000');
    await page.getByTestId('wo-save').click();
    await expectHidden(page.getByTestId('wo-form'));
    const edited = (await e2e.api<WorkOrder>('/api/work-orders/0159100')).body;
    // only the quantity changed: the due date and the product are kept exactly
    expect(edited).toMatchObject({ quantity: 30_000, due: saved.due, product: 'rsv' });
    await expectText(page.getByTestId('wo-history'), 'Quantity: 26,000 units → 30,000 units');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'work-order-panel.png') });

    await page.getByTestId('wo-delete').click();
    await expectText(page.getByTestId('reason-dialog'), 'Delete lot 0159100?');
    await page.getByTestId('reason-input').fill('entered by mistake');
    await page.getByTestId('confirm-ok').click();
    await expectHidden(page.getByTestId('wo-panel'));
    await expectHidden(page.getByTestId('wo-row-0159100'));
    expect((await e2e.api('/api/work-orders/0159100')).status).toBe(404);
  });

  it('asks for a reason when editing a work order whose gate is released, and keeps it in the history', async () => {
    await createOrder('E2EREL1', 'strep-a-plus', 8000);
    expect((await e2e.api('/api/work-orders/E2EREL1/operations/0/load', { method: 'POST', body: { machine: 'line10', mode: 'append' } })).status).toBe(200);
    expect((await e2e.api('/api/work-orders/E2EREL1/operations/0/close', { method: 'POST', body: { reason: 'counted on paper' } })).status).toBe(200);
    const quality = await e2e.createUser('quality');
    const passed = await e2e.api('/api/work-orders/E2EREL1/operations/0/gate', { method: 'POST', as: await e2e.signInApi(quality), body: { signature: { password: quality.password, meaning: 'released' }, review: { items: [] } } });
    expect(passed.status, JSON.stringify(passed.body)).toBe(200);

    const page = await e2e.newPage();
    await openList(page);
    await page.getByTestId('wo-row-E2EREL1').click();
    await page.getByTestId('wo-edit').click();
    await expectVisible(page.getByTestId('wo-form'));
    await expectText(page.getByTestId('wo-form'), 'Reason');
    await page.getByTestId('wo-notes').fill('label reprinted');
    // no reason: the form says so on the field and sends nothing
    await page.getByTestId('wo-save').click();
    await expectVisible(page.getByTestId('field-error-reason'));
    await expectHidden(page.getByTestId('wo-form-error'));
    expect((await e2e.api<WorkOrder>('/api/work-orders/E2EREL1')).body.notes).toBe('');
    await page.getByTestId('wo-reason').fill('label reprinted after QC release');
    await expectHidden(page.getByTestId('field-error-reason'));
    await page.getByTestId('wo-save').click();
    await expectHidden(page.getByTestId('wo-form'));
    expect((await e2e.api<WorkOrder>('/api/work-orders/E2EREL1')).body.notes).toBe('label reprinted');
    await expectText(page.getByTestId('wo-history'), 'label reprinted after QC release');

    // an order nobody signed asks no reason
    await createOrder('E2EREL2', 'rsv', 1000);
    await openList(page);
    await page.getByTestId('wo-row-E2EREL2').click();
    await page.getByTestId('wo-edit').click();
    await expectVisible(page.getByTestId('wo-form'));
    await expectHidden(page.getByTestId('wo-reason'));
  });

  it('reads 30,000 as thirty thousand, shows what will be saved, refuses 1,5 until it is corrected', async () => {
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await openList(page);
    await page.getByTestId('wo-new').click();
    await expectVisible(page.getByTestId('wo-form'));
    await page.getByTestId('wo-lot').fill('N7001');
    await page.getByTestId('wo-product').selectOption('rsv');
    await page.getByTestId('wo-quantity').fill('30,000');
    await expectText(page.getByTestId('field-preview-quantity'), 'Will be saved as 30,000 pieces');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'work-order-form-1920x1080.png') });
    await page.getByTestId('wo-save').click();
    await expectHidden(page.getByTestId('wo-form'));
    expect((await e2e.api<WorkOrder>('/api/work-orders/N7001')).body.quantity).toBe(30_000);

    // "1,5": one and a half, or a mistyped 1,500? The form says so, and does not save
    const phone = await e2e.newPage({ width: 390, height: 844 });
    await openList(phone);
    await phone.getByTestId('wo-new').click();
    await phone.getByTestId('wo-lot').fill('N7002');
    await phone.getByTestId('wo-product').selectOption('rsv');
    await phone.getByTestId('wo-quantity').fill('1,5');
    await phone.getByTestId('wo-quantity').blur();
    await expectText(phone.getByTestId('field-error-quantity'), 'unclear: whole units only — type 1,500 for a whole number');
    await expectHidden(phone.getByTestId('field-preview-quantity'));
    expect(await phone.getByTestId('wo-save').isDisabled()).toBe(true);
    // submitting anyway (Enter in a field) is refused too
    await phone.getByTestId('wo-lot').press('Enter');
    await phone.waitForTimeout(300);
    expect((await e2e.api('/api/work-orders/N7002')).status).toBe(404);
    await phone.screenshot({ path: join(screenshotDir, 'work-order-form-error-390x844.png') });
    // correcting the field takes its message away at once
    await phone.getByTestId('wo-quantity').fill('1,500');
    await expectHidden(phone.getByTestId('field-error-quantity'));
    await expectText(phone.getByTestId('field-preview-quantity'), 'Will be saved as 1,500 pieces');
    expect(await phone.getByTestId('wo-save').isDisabled()).toBe(false);
    await phone.screenshot({ path: join(screenshotDir, 'work-order-form-390x844.png') });
    await phone.getByTestId('wo-save').click();
    await expectHidden(phone.getByTestId('wo-form'));
    expect((await e2e.api<WorkOrder>('/api/work-orders/N7002')).body.quantity).toBe(1500);
  });

  it('searches, filters and sorts', async () => {
    await createOrder('S3001', 'flu-ab', 12_000, { notes: 'customer audit sample' });
    await createOrder('S3002', 'rsv', 48_000);
    await createOrder('S3003', 'rsv', 7_000);
    await createOrder('S3004', 'sars-ag', 30_000);
    const page = await e2e.newPage();
    await openList(page);
    await expectVisible(page.getByTestId('wo-row-S3004'));

    await page.getByTestId('wo-search').fill('S3002');
    await expectLots(page, (lots) => lots.length === 1 && lots[0] === 'S3002', 'only S3002');
    expect(page.url()).toContain('search=S3002');
    // notes are searched too
    await page.getByTestId('wo-search').fill('audit');
    await expectLots(page, (lots) => lots.join() === 'S3001', 'S3001 (its notes match)');
    await page.getByTestId('wo-search').fill('');
    await expectLots(page, (lots) => lots.includes('S3004') && lots.includes('S3001'), 'every order again');

    // the demo plant has RSV orders too: every RSV order is listed, and only those
    const rsvOrders = (await e2e.api<WorkOrder[]>('/api/work-orders?product=rsv')).body.map((w) => w.lot).sort();
    expect(rsvOrders).toEqual(expect.arrayContaining(['S3002', 'S3003']));
    await page.getByTestId('wo-filter-product').selectOption('rsv');
    await expectLots(page, (lots) => [...lots].sort().join() === rsvOrders.join(), `the RSV orders ${rsvOrders.join(', ')}`);
    await page.getByTestId('wo-search').fill('S300');
    await expectLots(page, (lots) => lots.length === 2 && lots.every((lot) => lot === 'S3002' || lot === 'S3003'), 'the two RSV orders of this test');

    await page.getByTestId('sort-quantity').click();
    await expectLots(page, (lots) => lots.join() === 'S3003,S3002', 'S3003 (7,000) before S3002 (48,000)');
    await page.getByTestId('sort-quantity').click();
    await expectLots(page, (lots) => lots.join() === 'S3002,S3003', 'S3002 before S3003 once descending');
    expect(await page.locator('th[aria-sort="descending"]').innerText()).toContain('Qty');

    // the URL keeps the view: a reload shows the same
    await page.reload();
    await expectLots(page, (lots) => lots.join() === 'S3002,S3003', 'the same filtered, sorted list after a reload');

    await page.getByTestId('wo-clear-filters').click();
    await expectLots(page, (lots) => lots.includes('160101') && lots.includes('S3001'), 'every order (the demo ones too) once the filters are cleared');
    await expectHidden(page.getByTestId('wo-clear-filters'));
    mkdirSync(screenshotDir, { recursive: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(screenshotDir, 'work-orders-list.png') });
  });

  it('previews a CSV with one bad row, imports the good rows on confirm (by file picker and by dropping a file), and writes nothing on cancel', async () => {
    const page = await e2e.newPage();
    await openList(page);
    const csv = ['lot,product,quantity,due', `I4001,flu-ab,"10,000",${plantDate(12)}`, `I4002,rsv,0,${plantDate(13)}`, 'I4003,1440700,5000,'].join('\n');
    const countOrders = async () => (await e2e.api<WorkOrder[]>('/api/work-orders?limit=1000')).body.length;
    const before = await countOrders();

    // cancel: the preview was shown, nothing is written
    await page.getByTestId('wo-import-input').setInputFiles({ name: 'week48.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expectText(page.getByTestId('import-preview-summary'), '2 new work orders to import, 1 row with errors');
    await page.getByTestId('import-cancel').click();
    await expectHidden(page.getByTestId('import-dialog'));
    expect(await countOrders()).toBe(before);
    expect((await e2e.api('/api/work-orders/I4001')).status).toBe(404);

    await page.getByTestId('wo-import-input').setInputFiles({ name: 'week48.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expectText(page.getByTestId('import-preview-summary'), '2 new work orders to import, 1 row with errors');
    await expectText(page.getByTestId('import-preview-row-2'), '10,000');
    await expectText(page.getByTestId('import-preview-row-2'), 'New');
    await expectText(page.getByTestId('import-preview-row-3'), 'Quantity: must be > 0');
    await expectText(page.getByTestId('import-preview-row-4'), 'SARS');
    await expectText(page.getByTestId('import-confirm'), 'Import 2 work orders');
    mkdirSync(screenshotDir, { recursive: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: join(screenshotDir, 'work-orders-import-preview-1920x1080.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(screenshotDir, 'work-orders-import-preview-390x844.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await countOrders()).toBe(before);
    await page.getByTestId('import-confirm').click();
    await expectText(page.getByTestId('import-summary'), '2 imported, 1 row skipped for errors');
    await expectText(page.getByTestId('import-error-row-3'), 'Quantity');
    await page.screenshot({ path: join(screenshotDir, 'work-orders-import.png') });
    await page.getByTestId('import-close').click();
    await expectVisible(page.getByTestId('wo-row-I4001'));
    await expectVisible(page.getByTestId('wo-row-I4003'));
    expect(await page.getByTestId('wo-row-I4002').count()).toBe(0);
    expect(await countOrders()).toBe(before + 2);
    expect((await e2e.api<WorkOrder>('/api/work-orders/I4001')).body.quantity).toBe(10_000);
    expect((await e2e.api<WorkOrder>('/api/work-orders/I4003')).body.product).toBe('sars-ag');

    // the same file dropped again: its rows exist now; a new row goes in
    const dropped = `${csv}\nI4004,rsv,2500,`;
    const dataTransfer = await page.evaluateHandle((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return transfer;
    }, dropped);
    const target = page.getByTestId('page-work-orders');
    await target.dispatchEvent('dragenter', { dataTransfer });
    await target.dispatchEvent('dragover', { dataTransfer });
    await target.dispatchEvent('drop', { dataTransfer });
    await expectText(page.getByTestId('import-preview-summary'), '1 new work order to import, 3 rows with errors');
    await expectText(page.getByTestId('import-preview-row-2'), "work order 'I4001' already exists");
    await page.getByTestId('import-confirm').click();
    await expectText(page.getByTestId('import-summary'), /^1 imported, 3 rows skipped for errors/);
    await expectText(page.getByTestId('import-errors'), 'I4001');
    await page.getByTestId('import-close').click();
    await expectVisible(page.getByTestId('wo-row-I4004'));
  });

  it('exports the filtered list as .xlsx and CSV', async () => {
    await createOrder('X5001', 'strep-a-inline', 9_000, { due: plantDate(5) });
    await createOrder('X5002', 'strep-a-inline', 11_000);
    await createOrder('X5003', 'flu-sars', 4_000);
    const page = await e2e.newPage();
    await openList(page);
    await page.getByTestId('wo-filter-product').selectOption('strep-a-inline');
    await page.getByTestId('wo-search').fill('X500');
    await expectLots(page, (lots) => [...lots].sort().join() === 'X5001,X5002', 'the two Strep A Inline orders of this test');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wo-export-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^qmfg-work-orders-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const path = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.getWorksheet('Work orders');
    if (!sheet) throw new Error('the export has no "Work orders" sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['Lot', 'Product', 'Item number', 'Quantity']);
    const rows: [string, string, number][] = [];
    sheet.eachRow((row, number) => {
      if (number === 1) return;
      rows.push([String(row.getCell(1).value), String(row.getCell(2).value), Number(row.getCell(4).value)]);
    });
    // the export has the filters of the screen (product and search), not the whole book
    expect(rows.map((r) => r[0]).sort()).toEqual(['X5001', 'X5002']);
    expect(rows.find((r) => r[0] === 'X5002')).toEqual(['X5002', 'Strep A Inline', 11_000]);

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('wo-export-csv').click()]);
    const text = readFileSync(await csvDownload.path(), 'utf8');
    expect(text).toContain('X5001');
    expect(text).not.toContain('X5003');
  });
});
