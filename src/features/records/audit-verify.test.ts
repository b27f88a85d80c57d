// GET /api/audit/verify (issue 16): the same verification as the CLI, with the shape it had (entries,
// brokenAt) and what is wrong; each run is recorded and listed for the admin screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';

describe('audit verification API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('sqlite', 'audit-verify');
  }, 60_000);
  afterAll(async () => t?.close());

  it('verifies, keeps entries/brokenAt, records the run as manual by the user', async () => {
    const res = await t.app.inject('/api/audit/verify');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, brokenAt: null, problem: null });
    expect(body.entries).toBeGreaterThan(0);
    const runs = (await t.app.inject('/api/audit/verifications')).json();
    expect(runs[0]).toMatchObject({ origin: 'manual', actor: t.admin.username, ok: true, entries: body.entries });
    const viewer = await t.as('viewer');
    expect((await viewer.inject('/api/audit/verifications')).statusCode).toBe(403);
  });
});
