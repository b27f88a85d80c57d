// Operator reports through the real app on each database (issue 13): the reason tree (versioned,
// retire instead of remove), reasons of stops (split, override with a justification), scrap, crew,
// the shift log submitted, signed by a lead (locked: 409), reopened (audited, what changed shown),
// handover acknowledgement — and their effect on OEE (planned downtime leaves loading on the
// calendar basis; scrap leaves quality).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { LINE7_DAYS, multipartFiles, ZONE } from '../../testing/machine-data.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';

interface Node { id: string; label: string; category?: string; retired?: boolean; children?: Node[] }
const leaves = (nodes: Node[]): Node[] => nodes.flatMap((n) => (n.children && n.children.length > 0 ? leaves(n.children) : [n]));
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe.each(DIALECTS)('operator reports on %s', (dialect) => {
  let t: TestApp;
  const shiftStart = local('2022-10-13T06:30');
  const shiftUrl = `/api/shift-logs/line7/${shiftStart}`;
  let stops: { startMs: number; endMs: number; seconds: number; reason: string | null; segments: unknown[] }[];
  let tree: Node[];

  const inject = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const leafOf = (category: string, skip = 0) => leaves(tree).filter((l) => l.category === category && !l.retired)[skip];

  beforeAll(async () => {
    t = await createTestApp(dialect, 'operator_input');
    const day = LINE7_DAYS[3];
    const res = await t.app.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipartFiles([{ name: 'PR20221013.txt', content: readFileSync(day) }]) });
    expect(res.statusCode).toBe(200);
    const listed = await inject('GET', `/api/stops?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&minSeconds=120`);
    stops = listed.body.stops;
    expect(stops.length).toBeGreaterThan(4);
  });
  afterAll(async () => t?.close());

  it('the reason tree: the starter (v0), a new version, removing refused, retiring allowed, all audited', async () => {
    const starter = await inject('GET', '/api/reason-trees/pouching-itrak');
    expect(starter.status).toBe(200);
    expect(starter.body.version).toBe(0);
    tree = starter.body.tree.nodes;
    for (const category of ['setup', 'breakdown', 'plannedDowntime', 'startupReject', 'productionReject']) expect(leafOf(category)).toBeDefined();
    // add a reason under the first inner node
    const next = structuredClone(tree);
    next[0].children!.push({ id: 'test-added', label: 'Added by the test', category: 'breakdown' });
    const published: string[] = [];
    const unsubscribe = t.events.subscribe((event) => published.push(event.topic));
    const saved = await inject('PUT', '/api/reason-trees/pouching-itrak', { version: 0, tree: { nodes: next } });
    expect(saved.status).toBe(200);
    await t.events.idle();
    unsubscribe();
    expect(published).toContain('plant');
    expect(saved.body.version).toBe(1);
    // stale version → 409
    expect((await inject('PUT', '/api/reason-trees/pouching-itrak', { version: 0, tree: { nodes: next } })).status).toBe(409);
    // removing a reason → 400 saying to retire it
    const removed = structuredClone(next);
    removed[0].children!.pop();
    const refused = await inject('PUT', '/api/reason-trees/pouching-itrak', { version: 1, tree: { nodes: removed } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/retire/);
    // a leaf without a category → 400 with its path
    const broken = structuredClone(next);
    delete broken[0].children![broken[0].children!.length - 1].category;
    const invalid = await inject('PUT', '/api/reason-trees/pouching-itrak', { version: 1, tree: { nodes: broken } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields[0].path).toMatch(/^body\.tree\.nodes\.0\.children\./);
    tree = saved.body.tree.nodes;
    const audit = await listAudit(t.database.db, { entity: 'reason-tree' });
    expect(audit.map((a) => a.action)).toEqual(['update']);
  });

  it('reasons of stops: one reason, a split, an override that needs a justification; retired reasons stay readable', async () => {
    const [first, second, third] = stops;
    const setup = leafOf('setup');
    const jam = leafOf('breakdown');
    const added = leaves(tree).find((l) => l.id === 'test-added')!;
    // one reason
    let res = await inject('PUT', `/api/stops/line7/${first.startMs}/reasons`, { segments: [{ reason: setup.id, comment: 'format change' }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject([{ reason: setup.id, category: 'setup', comment: 'format change', treeVersion: 1 }]);
    // a split: changeover, then a jam from the middle on
    const middle = Math.round((second.startMs + second.endMs) / 2);
    res = await inject('PUT', `/api/stops/line7/${second.startMs}/reasons`, { segments: [{ reason: setup.id }, { start: middle, reason: jam.id }] });
    expect(res.status).toBe(200);
    expect(res.body.map((s: { startMs: number; endMs: number; reason: string }) => [s.startMs, s.endMs, s.reason])).toEqual([
      [second.startMs, middle, setup.id],
      [middle, second.endMs, jam.id],
    ]);
    // a split point outside the stop → 400 on its field
    res = await inject('PUT', `/api/stops/line7/${second.startMs}/reasons`, { segments: [{ reason: setup.id }, { start: second.endMs + 1000, reason: jam.id }], changeReason: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('body.segments.1.start');
    // a scrap reason for a stop, an unknown reason → 400 naming them
    res = await inject('PUT', `/api/stops/line7/${third.startMs}/reasons`, { segments: [{ reason: leafOf('productionReject').id }] });
    expect(res.status).toBe(400);
    res = await inject('PUT', `/api/stops/line7/${third.startMs}/reasons`, { segments: [{ reason: 'jamm' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0]).toEqual({ path: 'body.segments.0.reason', message: expect.stringContaining("'jamm' is not a reason") });
    // override: without a justification 400, with one 200 and audited with it
    res = await inject('PUT', `/api/stops/line7/${first.startMs}/reasons`, { segments: [{ reason: jam.id }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['body.changeReason']);
    res = await inject('PUT', `/api/stops/line7/${first.startMs}/reasons`, { segments: [{ reason: jam.id }], changeReason: 'the camera shows a jam, not a change' });
    expect(res.status).toBe(200);
    const overrides = (await listAudit(t.database.db, { entity: 'stop' })).filter((a) => a.action === 'reason-override');
    expect(overrides.map((a) => a.reason)).toEqual(['the camera shows a jam, not a change']);

    // the added reason on the third stop, then retired from the tree
    expect((await inject('PUT', `/api/stops/line7/${third.startMs}/reasons`, { segments: [{ reason: added.id }] })).status).toBe(200);
    const retired = structuredClone(tree);
    const node = leaves(retired).find((l) => l.id === added.id)!;
    node.retired = true;
    const saved = await inject('PUT', '/api/reason-trees/pouching-itrak', { version: 1, tree: { nodes: retired } });
    expect(saved.status).toBe(200);
    tree = saved.body.tree.nodes;
    // the stop keeps it and shows it; a new stop cannot choose it
    const listed = (await inject('GET', `/api/stops?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&minSeconds=120`)).body.stops;
    expect(listed.find((s: { startMs: number }) => s.startMs === third.startMs)).toMatchObject({ reason: added.id, label: expect.stringContaining('Added by the test') });
    res = await inject('PUT', `/api/stops/line7/${stops[3].startMs}/reasons`, { segments: [{ reason: added.id }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].message).toMatch(/retired/);
  });

  it('planned downtime leaves loading time on the calendar basis; scrap leaves quality', async () => {
    const url = '/api/oee?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&profile=iso22400';
    const before = (await inject('GET', url)).body.machines[0].totals;
    const target = stops[4];
    const planned = leafOf('plannedDowntime');
    expect((await inject('PUT', `/api/stops/line7/${target.startMs}/reasons`, { segments: [{ reason: planned.id }] })).status).toBe(200);
    const after = (await inject('GET', url)).body.machines[0].totals;
    const cut = Math.min(target.endMs, local('2022-10-13T14:45')) - Math.max(target.startMs, local('2022-10-13T06:30'));
    expect(before.loadingSeconds - after.loadingSeconds).toBeCloseTo(cut / 1000, 0);
    expect(before.availabilityLossSeconds - after.availabilityLossSeconds).toBeCloseTo(cut / 1000, 0);
    expect(after.availability).toBeGreaterThan(before.availability);
    // the loss model of the same window: its A is the engine's; on ISO 22400 every stop is availability loss, and the
    // short ones nobody is asked about are minor stops by their automatic reason
    const losses = (await inject('GET', '/api/oee/losses?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45&profile=iso22400')).body.machines[0];
    expect(losses.availability).toBe(after.availability);
    const step = (key: string) => losses.steps.find((s: { key: string }) => s.key === key)?.seconds ?? 0;
    expect(step('availability-minorStop')).toBeGreaterThan(0);
    const availabilitySteps = losses.steps.filter((s: { key: string }) => s.key.startsWith('availability-')).reduce((sum: number, s: { seconds: number }) => sum + s.seconds, 0);
    expect(availabilitySteps).toBeCloseTo(step('loading') - step('operating'), 1);
    expect(losses.pareto.find((c: { category: string }) => c.category === 'minorStop').reasons[0].label).toBe('Minor stops (automatic)');
    // the legacy analysis keeps its loading
    const legacy = (await inject('GET', url.replace('iso22400', 'itrak-legacy'))).body.machines[0].totals;
    expect(legacy.loadingSeconds).toBeGreaterThan(after.loadingSeconds);

    // scrap: a negative quantity, an unknown lot, a stop reason → 400 with the field; a good entry counts as rejects
    const lot = (await inject('GET', '/api/production/lots?machine=line7&from=2022-10-13T06:30&to=2022-10-13T14:45')).body;
    const lotKey = (lot.lots ?? lot)[0].lot as string;
    const scrapReason = leafOf('productionReject');
    let res = await inject('POST', `${shiftUrl}/scrap`, { lot: lotKey, reason: scrapReason.id, quantity: -5 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('body.quantity');
    res = await inject('POST', `${shiftUrl}/scrap`, { lot: '999999', reason: scrapReason.id, quantity: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('body.lot');
    res = await inject('POST', `${shiftUrl}/scrap`, { lot: lotKey, reason: leafOf('setup').id, quantity: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('body.reason');
    res = await inject('POST', `${shiftUrl}/scrap`, { lot: lotKey, reason: scrapReason.id, quantity: 120, rework: 30, comment: 'seal defects after the splice' });
    expect(res.status).toBe(200);
    expect(res.body.scrap).toMatchObject([{ lot: lotKey, quantity: 120, rework: 30, category: 'productionReject' }]);
    const withScrap = (await inject('GET', url)).body.machines[0].totals;
    expect(withScrap.rejects).toBe(150);
    expect(withScrap.good).toBe(after.good - 150);
    expect(withScrap.quality).toBeLessThan(after.quality);
  });

  it('crew, notes, submit, the lead signs, the report is locked (409) until reopened; reopening shows what changed', async () => {
    const operator = await t.as('operator');
    // an operator without this line assigned is refused (fail closed)
    expect((await operator.inject({ method: 'PUT', url: `${shiftUrl}/crew`, payload: { crew: [] } })).statusCode).toBe(403);
    let res = await inject('PUT', `${shiftUrl}/crew`, { crew: [{ username: t.admin.username, hours: 8.25 }, { person: 'Temp Worker', hours: 4 }, { person: 'Nobody', hours: 0 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('body.crew.2.hours');
    res = await inject('PUT', `${shiftUrl}/crew`, { crew: [{ username: 'no-such-user', hours: 8 }] });
    expect(res.status).toBe(400);
    res = await inject('PUT', `${shiftUrl}/crew`, { crew: [{ username: t.admin.username, hours: 8.25 }, { person: 'Temp Worker', hours: 4 }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ headCount: 2, crewHours: 12.25, crew: [{ person: 'Test Administrator', hours: 8.25 }, { person: 'Temp Worker', hours: 4 }] });
    res = await inject('PUT', shiftUrl, { version: res.body.version, notes: 'Film splice at 09:10', openIssues: 'Sealer bar 2 runs hot', reportedCount: 20_000 });
    expect(res.status).toBe(200);
    // a stale version → 409
    expect((await inject('PUT', shiftUrl, { version: 1, notes: 'late edit' })).status).toBe(409);
    // signing before submitting → 409
    const lead = await t.as('lead');
    const sign = (version: number) => lead.inject({ method: 'POST', url: `${shiftUrl}/sign`, payload: { version, signature: { password: lead.user.password, meaning: 'reviewed' } } });
    expect((await sign(res.body.version)).statusCode).toBe(409);
    res = await inject('POST', `${shiftUrl}/submit`, { version: res.body.version });
    expect(res.body.state).toBe('submitted');
    // an operator may not sign
    expect((await operator.inject({ method: 'POST', url: `${shiftUrl}/sign`, payload: { version: res.body.version, signature: { password: operator.user.password, meaning: 'reviewed' } } })).statusCode).toBe(403);
    const signed = await sign(res.body.version);
    expect(signed.statusCode).toBe(200);
    const view = signed.json();
    expect(view).toMatchObject({ state: 'signed', signedBy: lead.user.username, signatures: [{ meaning: 'reviewed', valid: true }] });
    // locked: notes, crew, scrap and stop reasons of the shift → 409
    expect((await inject('PUT', shiftUrl, { version: view.version, notes: 'after signing' })).status).toBe(409);
    expect((await inject('PUT', `${shiftUrl}/crew`, { crew: [] })).status).toBe(409);
    expect((await inject('POST', `${shiftUrl}/scrap`, { lot: view.scrap[0].lot, reason: view.scrap[0].reason, quantity: 1 })).status).toBe(409);
    const locked = await inject('PUT', `/api/stops/line7/${stops[5].startMs}/reasons`, { segments: [{ reason: leafOf('breakdown').id }] });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toMatch(/signed/);
    // reopening needs a reason; then a change shows as changed since signing and the signature as no longer valid
    const reopenUrl = `${shiftUrl}/reopen`;
    expect((await lead.inject({ method: 'POST', url: reopenUrl, payload: { version: view.version } })).statusCode).toBe(400);
    const reopened = await lead.inject({ method: 'POST', url: reopenUrl, payload: { version: view.version, reason: 'scrap count was 20 short' } });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ state: 'reopened', changedSinceSigning: [], signatures: [{ valid: true }] });
    res = await inject('POST', `${shiftUrl}/scrap`, { lot: view.scrap[0].lot, reason: view.scrap[0].reason, quantity: 20 });
    expect(res.status).toBe(200);
    expect(res.body.changedSinceSigning).toEqual(['scrap']);
    expect(res.body.signatures[0].valid).toBe(false);
    const audit = (await listAudit(t.database.db, { entity: 'shift-log' })).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['crew', 'notes', 'scrap', 'submit', 'sign', 'reopen']));
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  it('handover: the next shift sees the notes and open issues and acknowledges them', async () => {
    const next = await inject('GET', `/api/operator/line7?shift=${local('2022-10-13T14:45')}`);
    expect(next.status).toBe(200);
    expect(next.body.shift.label).toMatch(/14:45/);
    expect(next.body.handover).toMatchObject({ notes: 'Film splice at 09:10', openIssues: 'Sealer bar 2 runs hot' });
    const ack = await inject('POST', `${shiftUrl}/handover-ack`, { comment: 'checked bar 2' });
    expect(ack.status).toBe(200);
    expect(ack.body.acknowledgements).toMatchObject([{ username: t.admin.username, comment: 'checked bar 2' }]);
    // the operator screen's own shift: counts, stops with reasons, the log
    const own = (await inject('GET', `/api/operator/line7?shift=${shiftStart}`)).body;
    expect(own.counts.parts).toBeGreaterThan(10_000);
    expect(own.stops.length).toBeGreaterThan(4);
    expect(own.stops.every((s: { seconds: number }) => s.seconds >= 60)).toBe(true);
    expect(own.openStops).toBe(own.stops.filter((s: { segments: unknown[] }) => s.segments.length === 0).length);
    expect(own.log.state).toBe('reopened');
    // a time that is no shift start, or no time at all → 400 naming the parameter
    expect((await inject('GET', `/api/shift-logs/line7/${shiftStart + 60_000}`)).status).toBe(400);
    const notATime = await inject('GET', '/api/shift-logs/line7/yesterday');
    expect([notATime.status, notATime.body.error.fields]).toEqual([400, [{ path: 'params.shift', message: "must be the shift's start as epoch ms or ISO 8601" }]]);
    const badQuery = await inject('GET', '/api/operator/line7?shift=yesterday');
    expect([badQuery.status, badQuery.body.error.fields]).toEqual([400, [{ path: 'query.shift', message: "must be the shift's start as epoch ms or ISO 8601" }]]);
  });
});
