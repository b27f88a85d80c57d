// An open tab's live stream ends with its session (issue 10 item 11): the tab goes to the sign-in
// screen by itself and stops reconnecting; the tab's own sign-out keeps its own notice.
import { describe, expect, it } from 'vitest';
import { expectText, expectVisible, useE2E } from './harness.js';

const e2e = useE2E();

describe('live updates end with the session', () => {
  it('a session revoked elsewhere takes the open tab to sign-in without a click, and the stream is not reopened', async () => {
    e2e.allowConsoleErrors(/status of 401/);
    const user = await e2e.createUser('viewer', { displayName: 'Vic Viewer' });
    const page = await e2e.newPage(undefined, { session: await e2e.signInApi(user) });
    const streams: number[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/events') streams.push(Date.now());
    });
    await page.goto('/machines');
    await expectVisible(page.getByTestId('machine-card-line7'));
    await expectText(page.getByTestId('live-indicator'), /live/i);
    expect(streams).toHaveLength(1);

    const revoked = await e2e.api<{ sessionsEnded: number }>(`/api/users/${user.id}/sign-out`, { method: 'POST' });
    expect(revoked.body).toEqual({ sessionsEnded: 1 });
    await expectVisible(page.getByTestId('page-login'), 5000);
    await expectText(page.getByTestId('login-notice'), 'your session has ended');
    // no reconnecting into 401s while the sign-in screen shows
    await page.waitForTimeout(3000);
    expect(streams).toHaveLength(1);
  });

  it('signing out in the tab keeps its own notice (the stream\'s end does not overwrite it)', async () => {
    e2e.allowConsoleErrors(/status of 401/);
    const user = await e2e.createUser('viewer');
    const page = await e2e.newPage(undefined, { session: await e2e.signInApi(user) });
    await page.goto('/machines');
    await expectText(page.getByTestId('live-indicator'), /live/i);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await expectText(page.getByTestId('login-notice'), 'You have signed out');
    await page.waitForTimeout(2000);
    await expectText(page.getByTestId('login-notice'), 'You have signed out');
  });
});
