// Electronic signatures end to end: the signer re-enters their password and picks a meaning; the
// signature is recorded with the change's audit entry, shows printed name, time and meaning, and
// stops being valid once the signed record changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';
import * as repo from './repository.js';
import { canonicalJson, manifestation } from './signatures.js';
import { createAuthTestApp, createTestUser, injectAs, signIn, type AuthTestApp, type TestUser } from '../../testing/auth.js';

describe('canonical JSON', () => {
  it('does not depend on key order, and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [3, 1] }, b: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe.each(DIALECTS)('electronic signatures on %s', (dialect) => {
  let t: AuthTestApp;
  let quality: TestUser;
  let lead: TestUser;
  let asQuality: ReturnType<typeof injectAs>;
  let asLead: ReturnType<typeof injectAs>;
  beforeAll(async () => {
    t = await createAuthTestApp(dialect, 'signatures', { QMFG_LOGIN_MAX_FAILURES: '3' });
    quality = await createTestUser(t.database.db, 'quality', { displayName: 'Quinn Q. Quality' });
    lead = await createTestUser(t.database.db, 'lead', { displayName: 'Lee Lead' });
    asQuality = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), quality));
    asLead = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), lead));
  });
  afterAll(async () => t?.close());

  /** A work order whose first step (pouching, followed by the QC release gate) is done. */
  async function pouchedLot(lot: string): Promise<void> {
    expect((await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot, product: 'strep-a-plus', quantity: 20000, notes: 'for signing' } })).statusCode).toBe(201);
    expect((await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine: 'line7', mode: 'append' } })).statusCode).toBe(200);
    expect((await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/counts`, payload: { produced: 20000, scrap: 12 } })).statusCode).toBe(200);
    expect((await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/close`, payload: { reason: '12 pouches scrapped at start-up' } })).statusCode).toBe(200);
  }
  const gate = (as: typeof asQuality, lot: string, signature: unknown, step = 0) =>
    as({ method: 'POST', url: `/api/work-orders/${lot}/operations/${step}/gate`, payload: { signature, reason: 'batch record reviewed', review: { items: [] } } });
  const signOffs = async (lot: string) => (await t.inject({ method: 'GET', url: `/api/work-orders/${lot}/sign-offs` })).json();

  it('passes a QC gate with the signer\'s password and meaning, and shows the manifestation', async () => {
    await pouchedLot('SIG1');
    const before = await signOffs('SIG1');
    expect(before.gates).toEqual([{ step: 0, gateName: 'QC release', role: 'quality', hours: 24, ready: true, passedAt: null, signature: null, review: null }]);
    const res = await gate(asQuality, 'SIG1', { password: quality.password, meaning: 'released' });
    expect(res.statusCode).toBe(200);
    const [passed] = res.json().gates;
    expect(passed.passedAt).not.toBeNull();
    expect(passed.signature).toMatchObject({ printedName: 'Quinn Q. Quality', username: quality.username, role: 'quality', meaning: 'released', action: 'pass-gate', valid: true, invalidReason: null });
    expect(Math.abs(Date.parse(passed.signature.signedAt) - Date.now())).toBeLessThan(10_000);
    expect(manifestation(passed.signature)).toMatch(/^released by Quinn Q\. Quality \(t-quality-\d+-\d+, quality\) at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC for pass-gate$/);
    // one audit entry for the change, linked to the signature row; the chain still verifies
    const [entry] = await listAudit(t.database.db, { entity: 'work-order', entityKey: 'SIG1', limit: 1 });
    expect(entry).toMatchObject({ action: 'pass-gate', actor: quality.username, reason: 'batch record reviewed' });
    const [row] = await repo.listSignatures(t.database.db, { entity: 'operation-gate', entityKeys: ['SIG1/0'] });
    expect(row.audit_hash).toBe(entry.hash);
    expect(JSON.stringify(entry)).not.toContain(quality.password);
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
    // a second pass is refused
    expect((await gate(asQuality, 'SIG1', { password: quality.password, meaning: 'released' })).statusCode).toBe(409);
  });

  it('a wrong password fails, leaves the gate closed and counts towards the lock-out', async () => {
    await pouchedLot('SIG2');
    const auditBefore = (await listAudit(t.database.db, { entity: 'work-order', entityKey: 'SIG2' })).length;
    const wrong = await gate(asQuality, 'SIG2', { password: 'not my password', meaning: 'released' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('signature_rejected');
    expect((await signOffs('SIG2')).gates[0]).toMatchObject({ passedAt: null, signature: null });
    expect(await repo.listSignatures(t.database.db, { entity: 'operation-gate', entityKeys: ['SIG2/0'] })).toEqual([]);
    expect((await listAudit(t.database.db, { entity: 'work-order', entityKey: 'SIG2' })).length).toBe(auditBefore);
    expect((await listAudit(t.database.db, { entity: 'user', entityKey: quality.username }))[0]).toMatchObject({ action: 'signature-failed' });
    expect((await repo.getUserById(t.database.db, quality.id))!.failed_logins).toBe(1);
    // missing signature, bad meaning
    expect((await gate(asQuality, 'SIG2', undefined)).json().error.fields[0].path).toBe('body.signature');
    expect((await gate(asQuality, 'SIG2', { password: quality.password, meaning: 'because' })).statusCode).toBe(400);
    // the right password resets the count
    expect((await gate(asQuality, 'SIG2', { password: quality.password, meaning: 'approved' })).statusCode).toBe(200);
    expect((await repo.getUserById(t.database.db, quality.id))!.failed_logins).toBe(0);
  });

  it('only the gate\'s role signs it, and only once its step is done', async () => {
    await pouchedLot('SIG3');
    const byLead = await gate(asLead, 'SIG3', { password: lead.password, meaning: 'approved' });
    expect(byLead.statusCode).toBe(403);
    expect(byLead.json().error.message).toMatch(/signed by the quality role/);
    expect((await signOffs('SIG3')).gates[0].passedAt).toBeNull();
    // step 1 (kitting) has no gate
    expect((await gate(asQuality, 'SIG3', { password: quality.password, meaning: 'approved' }, 1)).statusCode).toBe(409);
    expect((await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot: 'SIG4', product: 'strep-a-plus', quantity: 100 } })).statusCode).toBe(201);
    const notDone = await gate(asQuality, 'SIG4', { password: quality.password, meaning: 'approved' });
    expect(notDone.statusCode).toBe(409);
    expect(notDone.json().error.message).toMatch(/opens once that step is done/);
  });

  it('closes a work order with a signature; editing it afterwards shows the signature as no longer valid', async () => {
    await pouchedLot('SIG5');
    const wo = (await t.inject({ method: 'GET', url: '/api/work-orders/SIG5' })).json();
    const closed = await asQuality({ method: 'POST', url: '/api/work-orders/SIG5/close', payload: { version: wo.version, reason: 'kitting recorded on the paper batch record', signature: { password: quality.password, meaning: 'approved' } } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'done', version: wo.version + 1 });
    expect(closed.json().operations.map((o: { state: string }) => o.state)).toEqual(['done', 'done']);
    let sigs = (await signOffs('SIG5')).signatures;
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ action: 'close-work-order', meaning: 'approved', recordVersion: wo.version + 1, valid: true });
    // the planner re-plans (forecasts change) — not an edit of the signed record
    expect((await t.inject({ method: 'POST', url: '/api/schedule/replan' })).statusCode).toBe(200);
    expect((await signOffs('SIG5')).signatures[0].valid).toBe(true);
    // an edit of the record is
    const edited = await t.inject({ method: 'PATCH', url: '/api/work-orders/SIG5', payload: { notes: 'changed after signing', version: wo.version + 1, reason: 'note added after review' } });
    expect(edited.statusCode).toBe(200);
    sigs = (await signOffs('SIG5')).signatures;
    expect(sigs[0]).toMatchObject({ valid: false, invalidReason: `the record was changed after signing (signed version ${wo.version + 1}, now version ${wo.version + 2})` });
    expect((await t.inject({ method: 'GET', url: '/api/signatures?entity=work-order&key=SIG5' })).json()[0].valid).toBe(false);
    // the work-order export carries the manifestation and its validity
    const csv = (await t.inject({ method: 'GET', url: '/api/work-orders/export.csv?search=SIG5' })).body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0].split(',').at(-1)).toBe('Electronic signatures');
    expect(csv[1]).toContain('approved by Quinn Q. Quality');
    expect(csv[1]).toContain('NO LONGER VALID: the record was changed after signing');
  });

  it('a changed count of a released step invalidates its gate signature', async () => {
    await pouchedLot('SIG6');
    expect((await gate(asQuality, 'SIG6', { password: quality.password, meaning: 'released' })).statusCode).toBe(200);
    expect((await signOffs('SIG6')).gates[0].signature.valid).toBe(true);
    expect((await t.inject({ method: 'POST', url: '/api/work-orders/SIG6/operations/0/counts', payload: { produced: 20000, scrap: 40, reason: 'recount of the scrap bin' } })).statusCode).toBe(200);
    const [g] = (await signOffs('SIG6')).gates;
    expect(g.signature).toMatchObject({ valid: false, invalidReason: 'the record was changed after signing' });
  });

  it('a tampered signature row shows as altered', async () => {
    await pouchedLot('SIG7');
    await gate(asQuality, 'SIG7', { password: quality.password, meaning: 'released' });
    await t.database.db.updateTable('signatures').set({ printed_name: 'Somebody Else' }).where('entity_key', '=', 'SIG7/0').execute();
    expect((await signOffs('SIG7')).gates[0].signature).toMatchObject({ valid: false, invalidReason: 'the signature record has been altered' });
  });

  it('three wrong signature passwords lock the account', async () => {
    const signer = await createTestUser(t.database.db, 'quality');
    const as = injectAs(t.app.inject.bind(t.app), await signIn(t.app.inject.bind(t.app), signer));
    await pouchedLot('SIG8');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await gate(as, 'SIG8', { password: `guess ${i}`, meaning: 'released' })).statusCode);
    expect(statuses).toEqual([403, 403, 423]);
    expect((await gate(as, 'SIG8', { password: signer.password, meaning: 'released' })).statusCode).toBe(423);
    expect((await signOffs('SIG8')).gates[0].passedAt).toBeNull();
  });
});
