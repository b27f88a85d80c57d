// Families and changeover matrices through the API on every dialect: a matrix round trip, the 400
// paths of bad rules, 409 for a stale version, the audit entry, a product's family, a machine's last family.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { listAudit, verifyAuditChain } from '../audit/repository.js';

describe.each(DIALECTS)('families and changeover matrices on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'changeovers');
  });
  afterAll(async () => t?.close());

  const inject = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) => t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });
  const url = '/api/process-groups/pouching-itrak/changeovers';

  it('round-trips a group matrix under its version, with one audit entry holding before and after', async () => {
    const empty = await inject('GET', url);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ group: 'pouching-itrak', version: 1, rules: [], families: ['covid', 'flu', 'rsv', 'strep'] });
    const rules = [
      { from: '*', to: '*', minutes: 45 },
      { from: 'flu', to: 'strep', minutes: 90 },
      { from: 'strep', to: 'flu', minutes: 120.5 },
      { from: 'covid', to: '*', minutes: 150 },
      { from: 'flu', to: 'flu', minutes: 15 },
    ];
    const saved = await inject('PUT', url, { version: 1, rules });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ version: 2, rules });
    expect((await inject('GET', url)).json()).toMatchObject({ version: 2, rules });
    // another group's matrix is its own
    expect((await inject('GET', '/api/process-groups/kitting/changeovers')).json()).toMatchObject({ version: 1, rules: [] });

    const shorter = await inject('PUT', url, { version: 2, rules: rules.slice(0, 2) });
    expect(shorter.json()).toMatchObject({ version: 3, rules: rules.slice(0, 2) });
    const history = await listAudit(t.database.db, { entity: 'changeover-matrix', entityKey: 'pouching-itrak' });
    expect(history.map((h) => h.action)).toEqual(['update', 'update']);
    expect(history[0].before).toEqual({ version: 2, rules });
    expect(history[0].after).toEqual({ version: 3, rules: rules.slice(0, 2) });
    expect(history[1].before).toEqual({ version: 1, rules: [] });
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  it('refuses a stale version with 409 and leaves the matrix as it was', async () => {
    const current = (await inject('GET', url)).json();
    const stale = await inject('PUT', url, { version: current.version - 1, rules: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await inject('GET', url)).json()).toEqual(current);
  });

  it('answers bad rules with 400 naming each rule path, and changes nothing', async () => {
    const current = (await inject('GET', url)).json();
    const unknown = await inject('PUT', url, {
      version: current.version,
      rules: [{ from: '*', to: '*', minutes: 10 }, { from: 'flu', to: 'strep', minutes: 20 }, { from: 'flu', to: 'x', minutes: 30 }, { from: 'flu', to: 'strep', minutes: 40 }, { from: 'flu-ab', to: '*', minutes: 5 }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toEqual([
      { path: 'body.rules.2.to', message: "unknown family 'x'" },
      { path: 'body.rules.3.from', message: 'flu → strep is already rule 2' },
      // a product with a family is not a family of its own
      { path: 'body.rules.4.from', message: "unknown family 'flu-ab'" },
    ]);
    expect(unknown.json().error.message).toContain("body.rules.2.to: unknown family 'x'");
    const negative = await inject('PUT', url, { version: current.version, rules: [{ from: '*', to: '*', minutes: 1 }, { from: 'flu', to: '*', minutes: -1 }] });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.rules.1.minutes']);
    const tooLong = await inject('PUT', url, { version: current.version, rules: [{ from: '*', to: '*', minutes: 7 * 24 * 60 + 1 }] });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.rules.0.minutes']);
    const notNumber = await inject('PUT', url, { version: current.version, rules: [{ from: '*', to: '*', minutes: 'soon' }] });
    expect(notNumber.statusCode).toBe(400);
    expect((await inject('GET', url)).json()).toEqual(current);
    expect((await inject('GET', '/api/process-groups/nope/changeovers')).statusCode).toBe(404);
  });

  it("keeps a product's family through create and update, validated as a key", async () => {
    const product = { key: 'flu-c', name: 'Flu C', shortName: 'Flu C', itemNumber: '1999001', color: '#123456', family: 'flu', routing: [{ group: 'pouching-itrak', ratePerHour: 5000 }] };
    const created = await inject('POST', '/api/products', product);
    expect(created.statusCode).toBe(201);
    expect(created.json().family).toBe('flu');
    // a PATCH that does not mention the family leaves it
    const renamed = await inject('PATCH', '/api/products/flu-c', { name: 'Flu C FIA', version: 1 });
    expect(renamed.json()).toMatchObject({ name: 'Flu C FIA', family: 'flu', version: 2 });
    const own = await inject('PATCH', '/api/products/flu-c', { family: 'fluc', version: 2 });
    expect(own.json().family).toBe('fluc');
    expect((await inject('GET', url)).json().families).toContain('fluc');
    const bad = await inject('PATCH', '/api/products/flu-c', { family: 'Flu *', version: 3 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['body.family']);
    const cleared = await inject('PATCH', '/api/products/flu-c', { family: null, version: 3 });
    expect(cleared.json().family).toBeNull();
    // without a family the product is its own
    expect((await inject('GET', url)).json().families).toContain('flu-c');
    expect((await inject('GET', '/api/products/strep-a-plus')).json().family).toBe('strep');
  });

  it("sets and clears a machine's last family (a planner may; audited; unknown family 400; stale 409)", async () => {
    const planner = await t.as('planner');
    const machine = (await inject('GET', '/api/machines/line11')).json();
    expect(machine.lastFamily).toBeNull();
    const set = await planner.inject({ method: 'PUT', url: '/api/machines/line11/last-family', payload: { family: 'strep', version: machine.version } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ key: 'line11', lastFamily: 'strep', version: machine.version + 1 });
    expect((await inject('GET', '/api/machines/line11')).json().lastFamily).toBe('strep');
    const stale = await inject('PUT', '/api/machines/line11/last-family', { family: 'flu', version: machine.version });
    expect(stale.statusCode).toBe(409);
    const unknown = await inject('PUT', '/api/machines/line11/last-family', { family: 'nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toEqual([{ path: 'body.family', message: "unknown family 'nope'" }]);
    const cleared = await inject('PUT', '/api/machines/line11/last-family', { family: null });
    expect(cleared.json()).toMatchObject({ lastFamily: null, version: machine.version + 2 });
    expect((await inject('PUT', '/api/machines/nope/last-family', { family: null })).statusCode).toBe(404);
    const history = await listAudit(t.database.db, { entity: 'machine', entityKey: 'line11' });
    expect(history.map((h) => [h.action, h.actor])).toEqual([['last-family', t.admin.username], ['last-family', planner.user.username]]);
    expect(history[1].before).toEqual({ lastFamily: null, version: machine.version });
    expect(history[1].after).toEqual({ lastFamily: 'strep', version: machine.version + 1 });
  });
});
