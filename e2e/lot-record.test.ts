// The lot record of the demo's finished lot: opened from the work-order panel, the page shows its
// sections and signatures; the PDF is downloaded (the browser's download), page 1 rendered to PNG
// (pdftoppm) for people to look at, and its text (pdftotext) names the lot, the signers and their
// meanings, and the same content hash the page shows.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connect.js';
import { FINISHED_LOT, seedFinishedLot } from '../src/features/demo/finished-lot.js';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();
const work = mkdtempSync(join(tmpdir(), 'qmfg-lot-record-'));

describe('lot record', () => {
  beforeAll(async () => {
    // the demo seeds this lot once its quality and lead users exist (qmfg serve's first start);
    // the journey's server has only its administrator, so it is given the two signers and the same seed
    await e2e.createUser('quality', { displayName: 'Quinn Quality' });
    await e2e.createUser('lead', { displayName: 'Lena Lead' });
    const handle = await openDatabase(e2e.config.DATABASE_URL);
    try {
      expect(await seedFinishedLot(handle.db, e2e.config.QMFG_TZ, Date.now())).toBe(true);
    } finally {
      await handle.close();
    }
  });
  afterAll(() => process.env.LR_KEEP ? undefined : rmSync(work, { recursive: true, force: true }));

  it('opens from the work order, and its PDF carries the lot, the signatures and the content hash', async () => {
    const page = await e2e.newPage({ width: 1280, height: 900 });
    await page.goto(`/work-orders?search=${FINISHED_LOT}&status=done`);
    await page.getByTestId(`wo-open-${FINISHED_LOT}`).click();
    await page.getByTestId('wo-lot-record').click();
    await expectVisible(page.getByTestId('lot-record'), 30_000);
    await expectText(page.locator('h1'), `Lot record (eDHR) · lot ${FINISHED_LOT}`);
    const hash = (await page.getByTestId('lr-hash').innerText()).trim();
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    await expectText(page.getByTestId('lr-table-signatures'), 'Quinn Quality');
    await expectText(page.getByTestId('lr-table-signatures'), 'Lena Lead');
    await expectText(page.getByTestId('lr-flagged'), 'changed after the original entry');
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'lot-record-page.png'), fullPage: false });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lr-download-pdf').click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^lot-record-${FINISHED_LOT}-\\d{8}-\\d{6}\\.pdf$`));
    const pdf = join(work, 'record.pdf');
    await download.saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    execFileSync('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '60', pdf, join(work, 'page')]);
    const png = ['page-1.png', 'page-01.png', 'page-001.png'].map((name) => join(work, name)).find((file) => existsSync(file));
    expect(png, 'pdftoppm wrote page 1').toBeDefined();
    copyFileSync(png!, join(screenshotDir, 'lot-record-pdf-page1.png'));

    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(`Lot record (eDHR) — lot ${FINISHED_LOT}`);
    expect(text).toMatch(/Page 1\/\d+/);
    expect(text).toContain(`Content SHA-256 ${hash}`);
    expect(text).toMatch(/released by Quinn Quality \(\S+, quality\) at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2} for pass-gate/);
    expect(text).toMatch(/approved by Lena Lead \(\S+, lead\) at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{2}:\d{2} for close-work-order/);
    expect(text).toContain('QC release');
  });
});
