// Issue 16 in the browser: the audit screen shows the trail's last verification and verifies on
// demand (the same walk as `qmfg audit verify`); screenshot in test-results/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { expectText, expectVisible, screenshotDir, useE2E } from './harness.js';

const e2e = useE2E();

describe('audit trail integrity on the audit screen', () => {
  it('Verify now shows the result, the entries checked and who checked', async () => {
    const page = await e2e.newPage({ width: 1280, height: 800 });
    await page.goto('/audit');
    await expectVisible(page.getByTestId('audit-integrity'));
    await page.getByTestId('audit-verify-now').click();
    await expectText(page.getByTestId('audit-integrity-last'), /^Intact — [\d,]+ entries checked, .* (PST|PDT) \(manual check by e2e-admin\)$/);
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, 'audit-integrity-1280x800.png') });
  });
});
