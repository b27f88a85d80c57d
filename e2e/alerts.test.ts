// Alerts in the browser: the admin's rules tab (a negative threshold shown on its field, a rule
// created and listed), the bell in the header leading to the alerts page, and a user's own
// subscription added there and kept by the server.
import { describe, expect, it } from 'vitest';
import type { AlertRuleView } from '../src/features/alerts/schemas.js';
import { expectText, expectVisible, useE2E } from './harness.js';

const e2e = useE2E();

describe('alerts', () => {
  it('creates a rule on the admin tab, refusing a negative threshold on its field', async () => {
    const page = await e2e.newPage({ width: 1920, height: 1080 });
    await page.goto('/admin/alert-rules');
    await expectVisible(page.getByTestId('admin-alert-rules'));
    await page.getByTestId('create-alert-rule').click();
    await page.getByTestId('input-scopeKey').fill('line7');
    await page.getByTestId('input-minutes').fill('-5');
    await page.getByTestId('form-save').click();
    await expectText(page.getByTestId('field-error-minutes'), /0 or more/);
    await page.getByTestId('input-minutes').fill('12');
    await page.getByTestId('form-save').click();
    // a fresh server: this is its only rule
    await expect.poll(async () => (await e2e.api<AlertRuleView[]>('/api/alerts/rules')).body.length).toBe(1);
    const [rule] = (await e2e.api<AlertRuleView[]>('/api/alerts/rules')).body;
    expect(rule).toMatchObject({ kind: 'stopped', scope: 'machine', scopeKey: 'line7', minutes: 12 });
    await expectText(page.getByTestId(`row-rule-${rule.id}`), 'Stopped longer than N min');
  });

  it('the bell leads to the alerts page, where a user subscribes to a machine', async () => {
    const page = await e2e.newPage({ width: 1280, height: 800 });
    await page.goto('/board');
    await page.getByTestId('alert-bell').click();
    await page.waitForURL('**/alerts');
    await expectVisible(page.getByTestId('page-alerts'));
    await page.getByTestId('subscription-key').fill('line8');
    await page.getByTestId('subscription-add').click();
    await expectVisible(page.getByTestId('subscription-machine-line8'));
    const mine = await e2e.api<{ scope: string; scopeKey: string }[]>('/api/alerts/subscriptions');
    expect(mine.body).toEqual([expect.objectContaining({ scope: 'machine', scopeKey: 'line8' })]);
  });
});
