// The audit-trail review at QC release through the real app on each database: a lot whose trail has
// one item of each kind (written through the normal routes over the real Line 7 log of 13 Oct 2022),
// its release refused until every item is reviewed (409 naming what is missing), then released with
// the review recorded with the gate's signature; a lot without items records "no exceptions".
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE7_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import * as repo from './repository.js';
import { REVIEW_ITEM_KINDS, type ReviewItem } from './schemas.js';

interface Node { id: string; category?: string; retired?: boolean; children?: Node[] }
const leaves = (nodes: Node[]): Node[] => nodes.flatMap((n) => (n.children && n.children.length > 0 ? leaves(n.children) : [n]));
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe.each(DIALECTS)('review at QC release on %s', (dialect) => {
  let t: TestApp;
  let quality: Awaited<ReturnType<TestApp['as']>>;
  let lead: Awaited<ReturnType<TestApp['as']>>;
  const json = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const release = (lot: string, review?: { items: { id: string; comment?: string }[] }) =>
    quality.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/gate`, payload: { signature: { password: quality.user.password, meaning: 'released' }, ...(review ? { review } : {}) } });
  const reviewOf = async (lot: string): Promise<ReviewItem[]> => {
    const res = await quality.inject({ method: 'GET', url: `/api/work-orders/${lot}/operations/0/review` });
    expect(res.statusCode).toBe(200);
    return res.json().items;
  };

  beforeAll(async () => {
    t = await createTestApp(dialect, 'release_review');
    quality = await t.as('quality');
    lead = await t.as('lead');
  });
  afterAll(async () => t?.close());

  it('its own repository stores and reads reviews (release and periodic) on this database', async () => {
    const db = t.database.db;
    await repo.insertReleaseReview(db, { lot: 'REPO1', step: 0, signatureId: 991, reviewer: 'q', reviewedAt: 1_700_000_000_000, itemCount: 1, items: [{ id: 'audit:1', comment: 'ok' }] });
    expect(await repo.listReleaseReviews(db, { signatureIds: [991] })).toEqual([
      { id: expect.any(Number), lot: 'REPO1', step: 0, signatureId: 991, reviewer: 'q', reviewedAt: 1_700_000_000_000, itemCount: 1, items: [{ id: 'audit:1', comment: 'ok' }] },
    ]);
    await expect(repo.insertReleaseReview(db, { lot: 'REPO1', step: 0, signatureId: 992, reviewer: 'q', reviewedAt: 1, itemCount: 0, items: [] })).rejects.toThrow();
    await repo.insertPeriodicReview(db, { quarter: '2001-Q1', version: 1, fromAt: 1, toAt: 2, itemCount: 2, itemsHash: 'h', itemIds: [4, 7], signedBy: 'q', signedAt: 3 });
    await repo.linkPeriodicSignature(db, '2001-Q1', 1, 55);
    expect(await repo.getPeriodicReview(db, '2001-Q1', 1)).toMatchObject({ itemIds: [4, 7], signatureId: 55, itemCount: 2 });
    await expect(repo.insertPeriodicReview(db, { quarter: '2001-Q1', version: 1, fromAt: 1, toAt: 2, itemCount: 0, itemsHash: 'h', itemIds: [], signedBy: 'q', signedAt: 3 })).rejects.toThrow();
  });

  it('a lot without items: the release needs the (empty) review and records "review done, no exceptions"', async () => {
    expect((await json('POST', '/api/work-orders', { lot: 'RVNONE', product: 'strep-a-plus', quantity: 20000 })).status).toBe(201);
    expect((await json('POST', '/api/work-orders/RVNONE/operations/0/load', { machine: 'line7', mode: 'append' })).status).toBe(200);
    expect((await json('POST', '/api/work-orders/RVNONE/operations/0/counts', { produced: 20000 })).status).toBe(200);
    expect((await json('POST', '/api/work-orders/RVNONE/operations/0/close', {})).status).toBe(200);
    expect(await reviewOf('RVNONE')).toEqual([]);
    const refused = await release('RVNONE');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'review_incomplete', message: expect.stringContaining('no exceptions') });
    const passed = await release('RVNONE', { items: [] });
    expect(passed.statusCode).toBe(200);
    expect(passed.json().gates[0]).toMatchObject({ passedAt: expect.any(String), review: { reviewer: quality.user.username, itemCount: 0, items: [] } });
    const [entry] = await listAudit(t.database.db, { entity: 'work-order', entityKey: 'RVNONE', limit: 1 });
    expect(entry.after).toMatchObject({ passed: true, review: 'review done, no exceptions', reviewedItemCount: 0, reviewedBy: quality.user.username });
    expect(entry.after).not.toHaveProperty('reviewedItems');
  });

  it('each kind of exception is found; the release is refused until all are reviewed, then the signature shows the review', async () => {
    const lot = '159053'; // what Line 7 pouched on 13 Oct 2022 (item 1451300, Flu+SARS)
    expect((await json('POST', '/api/work-orders', { lot, product: 'flu-sars', quantity: 500_000 })).status).toBe(201);
    expect((await json('POST', `/api/work-orders/${lot}/operations/0/load`, { machine: 'line7', mode: 'append' })).status).toBe(200);
    const upload = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipartFiles([{ name: 'PR20221013.txt', content: readFileSync(LINE7_DAYS[3]) }]) });
    expect(upload.statusCode).toBe(200);
    let wo = (await json('GET', `/api/work-orders/${lot}`)).body;
    const sensed = wo.operations[0].produced as number;
    expect(sensed).toBeGreaterThan(1000);

    // a stop reason given years after the stop (late), then overridden with a justification
    const stops = (await json('GET', '/api/stops?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&minSeconds=120')).body.stops as { startMs: number }[];
    const tree = (await json('GET', '/api/reason-trees/pouching-itrak')).body.tree.nodes as Node[];
    const [setup] = leaves(tree).filter((l) => l.category === 'setup' && !l.retired);
    const [breakdown] = leaves(tree).filter((l) => l.category === 'breakdown' && !l.retired);
    expect((await json('PUT', `/api/stops/line7/${stops[0].startMs}/reasons`, { segments: [{ reason: setup.id }] })).status).toBe(200);
    expect((await json('PUT', `/api/stops/line7/${stops[0].startMs}/reasons`, { segments: [{ reason: breakdown.id }], changeReason: 'the camera shows a jam' })).status).toBe(200);

    // the quantity edited after entry; the sensed count corrected by hand, 10 % above the camera's
    wo = (await json('PATCH', `/api/work-orders/${lot}`, { version: wo.version, quantity: 450_000 })).body;
    expect(wo.quantity).toBe(450_000);
    expect((await json('POST', `/api/work-orders/${lot}/operations/0/counts`, { produced: Math.round(sensed * 1.1) })).status).toBe(200);

    // the morning shift's report: submitted late with a count far from the camera's, signed, reopened, changed
    const shiftUrl = `/api/shift-logs/line7/${local('2022-10-13T06:30')}`;
    let log = (await json('PUT', shiftUrl, { version: 0, notes: 'film splice', reportedCount: 10 })).body;
    log = (await json('POST', `${shiftUrl}/submit`, { version: log.version })).body;
    const signed = await lead.inject({ method: 'POST', url: `${shiftUrl}/sign`, payload: { version: log.version, signature: { password: lead.user.password, meaning: 'reviewed' } } });
    expect(signed.statusCode).toBe(200);
    const reopened = await lead.inject({ method: 'POST', url: `${shiftUrl}/reopen`, payload: { version: signed.json().version, reason: 'notes were incomplete' } });
    expect(reopened.statusCode).toBe(200);
    expect((await json('PUT', shiftUrl, { version: reopened.json().version, notes: 'film splice at 09:10' })).status).toBe(200);

    expect((await json('POST', `/api/work-orders/${lot}/operations/0/close`, { reason: 'rest of the lot runs on 14 Oct' })).status).toBe(200);

    const items = await reviewOf(lot);
    expect(new Set(items.map((i) => i.kind))).toEqual(new Set(REVIEW_ITEM_KINDS));
    expect(items.find((i) => i.kind === 'reason-override')).toMatchObject({ who: t.admin.username, what: expect.stringContaining('the camera shows a jam'), link: expect.stringMatching(/^\/audit\?entity=stop&key=line7/) });
    expect(items.filter((i) => i.kind === 'changed-after-entry').map((i) => i.what)).toEqual([expect.stringContaining('Quantity'), expect.stringContaining(`produced ${sensed} → ${Math.round(sensed * 1.1)}`)]);
    expect(items.filter((i) => i.kind === 'count-mismatch').map((i) => i.what)).toEqual(
      expect.arrayContaining([expect.stringContaining(`the camera counted ${sensed} (10.0 % apart`), expect.stringContaining('reported 10 units')]),
    );
    expect(items.find((i) => i.kind === 'reopened-shift-report')).toMatchObject({ who: lead.user.username, what: expect.stringContaining('notes were incomplete') });
    expect(items.find((i) => i.kind === 'invalid-signature')).toMatchObject({ who: lead.user.username, what: expect.stringContaining('no longer valid') });
    expect(items.filter((i) => i.kind === 'late-entry').map((i) => i.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^Reason .* entered \d+ h after the stop ended$/), expect.stringMatching(/^Shift report .* submitted \d+ h after/)]));
    for (const item of items) expect(Date.parse(item.when)).not.toBeNaN();

    // no review, then all but one item reviewed: 409 naming exactly what is missing
    expect((await release(lot)).statusCode).toBe(409);
    const partial = await release(lot, { items: items.slice(1).map((i) => ({ id: i.id })) });
    expect(partial.statusCode).toBe(409);
    expect(partial.json().error.code).toBe('review_incomplete');
    expect(partial.json().error.fields).toEqual([{ path: items[0].id, message: expect.stringContaining(items[0].what) }]);
    expect((await json('GET', `/api/work-orders/${lot}/sign-offs`)).body.gates[0]).toMatchObject({ passedAt: null, signature: null, review: null });

    const passed = await release(lot, { items: items.map((i, n) => ({ id: i.id, comment: n === 0 ? 'checked against the camera video' : undefined })) });
    expect(passed.statusCode).toBe(200);
    const gate = (await json('GET', `/api/work-orders/${lot}/sign-offs`)).body.gates[0];
    expect(gate.signature).toMatchObject({ username: quality.user.username, meaning: 'released', valid: true });
    expect(gate.review).toMatchObject({ reviewer: quality.user.username, signatureId: gate.signature.id, itemCount: items.length });
    expect(gate.review.items.map((i: ReviewItem) => i.id)).toEqual(items.map((i) => i.id));
    expect(gate.review.items[0].comment).toBe('checked against the camera video');
    const [entry] = await listAudit(t.database.db, { entity: 'work-order', entityKey: lot, limit: 1 });
    expect(entry).toMatchObject({ action: 'pass-gate', actor: quality.user.username, after: { review: `${items.length} items reviewed`, reviewedBy: quality.user.username, reviewedItemCount: items.length } });
    expect((entry.after as { reviewedItems: { id: string; comment: string | null }[] }).reviewedItems[0]).toEqual({ id: items[0].id, kind: items[0].kind, comment: 'checked against the camera video' });
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });
});
