// The periodic review of the system's audit trail: a quarter's system-level items only (users, the
// plant model, rules …, not production records), signed by the quality unit as "Reviewed" (audited,
// listed with its manifestation), a second signature after new items is the next version, and the
// export carries every time with its zone offset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { ZONE } from '../../testing/machine-data.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import { SYSTEM_ENTITIES, quarterWindow } from './periodic.js';

describe.each(DIALECTS)('periodic review on %s', (dialect) => {
  let t: TestApp;
  let quality: Awaited<ReturnType<TestApp['as']>>;
  // the quarter the test runs in, plant-local (the changes below are made now)
  const now = DateTime.now().setZone(ZONE);
  const quarter = `${now.year}-Q${Math.ceil(now.month / 3)}`;
  const sign = (as: { inject: TestApp['anonymous'] }, password: string, meaning = 'reviewed') =>
    as.inject({ method: 'POST', url: `/api/periodic-reviews/${quarter}/sign`, payload: { signature: { password, meaning } } });

  beforeAll(async () => {
    t = await createTestApp(dialect, 'periodic_review');
    quality = await t.as('quality');
  });
  afterAll(async () => t?.close());

  it('quarters are plant-local calendar quarters', async () => {
    const { from, to } = quarterWindow('2026-Q4', 'America/Los_Angeles');
    expect(new Date(from).toISOString()).toBe('2026-10-01T07:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2027-01-01T08:00:00.000Z');
    await expect(t.app.inject({ method: 'GET', url: '/api/periodic-reviews/2026-Q5' })).resolves.toMatchObject({ statusCode: 400 });
  });

  it('lists only system-level items of the quarter; quality signs it as reviewed, audited; new items make a new version', async () => {
    // a system change (a machine renamed) and production records (a work order) in the quarter
    expect((await t.app.inject({ method: 'PATCH', url: '/api/machines/line8', payload: { name: 'Line 8 (rebuilt)', version: 1 } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'PER1', product: 'strep-a-plus', quantity: 100 } })).statusCode).toBe(201);
    const first = await quality.inject({ method: 'GET', url: `/api/periodic-reviews/${quarter}` });
    expect(first.statusCode).toBe(200);
    const review = first.json();
    expect(review).toMatchObject({ quarter, needsSignature: true, signed: [] });
    expect(review.items.find((i: { entity: string; entityKey: string }) => i.entity === 'machine' && i.entityKey === 'line8')).toMatchObject({
      actor: t.admin.username, actionLabel: expect.any(String), change: expect.arrayContaining([expect.stringContaining('Line 8 (rebuilt)')]), newSinceSigned: false,
    });
    for (const item of review.items) expect(SYSTEM_ENTITIES as readonly string[]).toContain(item.entity);
    expect(review.items.some((i: { entity: string }) => i.entity === 'work-order')).toBe(false);
    expect(review.items.some((i: { action: string }) => i.action === 'sign-in')).toBe(false);
    const { from, to } = quarterWindow(quarter, ZONE);
    for (const item of review.items) expect(Date.parse(item.at) >= from && Date.parse(item.at) < to).toBe(true);

    // only the quality unit, only as "reviewed"
    const manager = await t.as('manager');
    expect((await sign(manager, manager.user.password)).statusCode).toBe(403);
    expect((await sign(quality, quality.user.password, 'approved')).statusCode).toBe(400);
    const signed = await sign(quality, quality.user.password);
    expect(signed.statusCode).toBe(200);
    expect(signed.json()).toMatchObject({ needsSignature: false, signed: [{ version: 1, itemCount: review.items.length, signedBy: quality.user.username, signature: { meaning: 'reviewed', valid: true } }] });
    expect(signed.json().signed[0].manifestation).toMatch(new RegExp(`^reviewed by .+ \\(${quality.user.username}, quality\\) at .+ for sign$`));
    const [entry] = await listAudit(t.database.db, { entity: 'periodic-review' });
    expect(entry).toMatchObject({ actor: quality.user.username, entityKey: `${quarter}/v1`, action: 'sign', after: { itemCount: review.items.length, meaning: 'reviewed' } });
    // nothing new: signing again is refused
    expect((await sign(quality, quality.user.password)).statusCode).toBe(409);

    // a new system item arrives: shown as new, and the next signature is version 2
    expect((await t.app.inject({ method: 'PATCH', url: '/api/machines/line8', payload: { name: 'Line 8', version: 2 } })).statusCode).toBe(200);
    const again = (await quality.inject({ method: 'GET', url: `/api/periodic-reviews/${quarter}` })).json();
    expect(again.needsSignature).toBe(true);
    expect(again.items.filter((i: { newSinceSigned: boolean }) => i.newSinceSigned)).toHaveLength(1);
    const second = await sign(quality, quality.user.password);
    expect(second.statusCode).toBe(200);
    expect(second.json().signed.map((s: { version: number; itemCount: number }) => [s.version, s.itemCount])).toEqual([[2, review.items.length + 1], [1, review.items.length]]);
    const list = (await quality.inject({ method: 'GET', url: '/api/periodic-reviews' })).json();
    expect(list.signed.map((s: { quarter: string; version: number }) => `${s.quarter}/v${s.version}`)).toEqual([`${quarter}/v2`, `${quarter}/v1`]);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();

    // the export: every time with its offset, the signed versions listed
    const csv = await quality.inject({ method: 'GET', url: `/api/periodic-reviews/${quarter}/export?format=csv` });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^When \(America\/Los_Angeles time with UTC offset\),Audit id,User/);
    expect(lines).toHaveLength(1 + again.items.length + 2);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00,/);
    expect(lines.at(-1)).toContain('reviewed by');
    const xlsx = await quality.inject({ method: 'GET', url: `/api/periodic-reviews/${quarter}/export?format=xlsx` });
    expect(xlsx.headers['content-type']).toMatch(/spreadsheetml/);
    // a viewer may not read the review
    expect((await (await t.as('viewer')).inject({ method: 'GET', url: `/api/periodic-reviews/${quarter}` })).statusCode).toBe(403);
  });
});
