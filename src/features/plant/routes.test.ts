import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { DIALECTS } from '../../testing/databases.js';
import { verifyAuditChain, listAudit } from '../audit/repository.js';

describe.each(DIALECTS)('plant model API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, 'plant');
  });
  afterAll(async () => t?.close());

  const inject = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({ method, url, payload: payload as Record<string, unknown> | undefined });

  it('lists the demo plant', async () => {
    const groups = (await inject('GET', '/api/process-groups')).json();
    expect(groups.map((g: { key: string }) => g.key)).toEqual(['pouching-itrak', 'pouching-dipstick', 'swab', 'kitting']);
    expect(groups[0].machineCount).toBe(6);
    const machines = (await inject('GET', '/api/machines?group=pouching-itrak')).json();
    expect(machines.map((m: { key: string }) => m.key)).toEqual(['line6', 'line7', 'line8', 'line9', 'line10', 'line11']);
    const product = (await inject('GET', '/api/products/strep-a-plus')).json();
    expect(product).toMatchObject({ itemNumber: '1330700', routing: [{ group: 'pouching-itrak', ratePerHour: 5000, gate: { name: 'QC release', role: 'quality' } }, { group: 'kitting' }] });
  });

  it('creates, edits and deletes a machine with versions and audit entries', async () => {
    const created = await inject('POST', '/api/machines', { key: 'line12', name: 'Line 12', group: 'pouching-itrak' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key: 'line12', enabled: true, oeeProfile: 'itrak-legacy', version: 1 });
    const edited = await inject('PATCH', '/api/machines/line12', { name: 'Line Twelve', enabled: false, oeeProfile: 'iso22400', version: 1 });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'Line Twelve', enabled: false, version: 2 });
    // a PATCH leaves what it does not mention unchanged (no defaults creep in)
    const renamed = await inject('PATCH', '/api/machines/line12', { name: 'Line 12', version: 2 });
    expect(renamed.json()).toMatchObject({ name: 'Line 12', enabled: false, oeeProfile: 'iso22400', version: 3 });
    const back = await inject('PATCH', '/api/machines/line12', { name: 'Line Twelve', version: 3 });
    expect(back.statusCode).toBe(200);
    // a second client still holding version 1 gets a conflict, and the record is unchanged
    const stale = await inject('PATCH', '/api/machines/line12', { name: 'Old tab', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await inject('GET', '/api/machines/line12')).json().name).toBe('Line Twelve');
    expect((await inject('DELETE', '/api/machines/line12?version=4', { reason: 'line dismantled' })).statusCode).toBe(204);
    expect((await inject('GET', '/api/machines/line12')).statusCode).toBe(404);
    const history = await listAudit(t.database.db, { entity: 'machine', entityKey: 'line12' });
    expect(history.map((h) => h.action)).toEqual(['delete', 'update', 'update', 'update', 'create']);
    expect(history[3].before).toMatchObject({ name: 'Line 12' });
    expect(history[3].after).toMatchObject({ name: 'Line Twelve' });
    expect((await verifyAuditChain(t.database.db)).brokenAt).toBeNull();
  });

  it('answers bad input with 400 and field errors', async () => {
    const res = await inject('POST', '/api/products', {
      key: 'Bad Key', name: 'x', shortName: 'x', itemNumber: '12345', color: 'blue', routing: [{ group: 'kitting', ratePerHour: 0 }],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.key', 'body.itemNumber', 'body.color', 'body.routing.0.ratePerHour']));
    const unknownGroup = await inject('POST', '/api/machines', { key: 'm1', name: 'M1', group: 'nope' });
    expect(unknownGroup.statusCode).toBe(400);
    expect(unknownGroup.json().error.fields).toEqual([{ path: 'body.group', message: "unknown process group 'nope'" }]);
    const dupItem = await inject('POST', '/api/products', {
      key: 'copy', name: 'Copy', shortName: 'C', itemNumber: '1330700', color: '#000000', routing: [{ group: 'kitting', ratePerHour: 10 }],
    });
    expect(dupItem.statusCode).toBe(400);
    expect(dupItem.json().error.message).toContain("already belongs to product 'strep-a-plus'");
    const badJson = await t.app.inject({ method: 'POST', url: '/api/machines', headers: { 'content-type': 'application/json' }, payload: '{"key":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).not.toContain('at ');
  });

  it('answers unknown keys with 404 and duplicates with 409', async () => {
    for (const url of ['/api/machines/nope', '/api/products/nope', '/api/process-groups/nope']) {
      const res = await inject('GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toMatch(/'nope' not found/);
    }
    expect((await inject('PATCH', '/api/products/nope', { name: 'x', version: 1 })).statusCode).toBe(404);
    expect((await inject('POST', '/api/process-groups', { key: 'kitting', name: 'again' })).statusCode).toBe(409);
  });

  it('refuses to delete what is still referenced', async () => {
    const res = await inject('DELETE', '/api/process-groups/kitting');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/still used by machines kit1, kit2, kit3 and routings of products/);
    expect((await inject('GET', '/api/process-groups/kitting')).statusCode).toBe(200);
  });

  it('refuses to delete a machine or product that work orders use, and to disable a machine with a queue (checks passed in when the app is built)', async () => {
    expect((await inject('POST', '/api/work-orders', { lot: 'REF-1', product: 'rsv', quantity: 10 })).statusCode).toBe(201);
    expect((await inject('POST', '/api/work-orders/REF-1/operations/0/load', { machine: 'line9', mode: 'append' })).statusCode).toBe(200);
    const machine = (await inject('GET', '/api/machines/line9')).json();
    const deleted = await inject('DELETE', `/api/machines/line9?version=${machine.version}`, { reason: 'replaced' });
    expect(deleted.statusCode).toBe(409);
    expect(deleted.json().error.message).toBe("machine 'line9' is still used by operations of work orders");
    const disabled = await inject('PATCH', '/api/machines/line9', { enabled: false, version: machine.version });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().error.message).toMatch(/^Line 9 still has \d+ jobs? in its queue/);
    const product = (await inject('GET', '/api/products/rsv')).json();
    const productDeleted = await inject('DELETE', `/api/products/rsv?version=${product.version}`, { reason: 'discontinued' });
    expect(productDeleted.statusCode).toBe(409);
    expect(productDeleted.json().error.message).toMatch(/^product 'rsv' is still used by \d+ work orders?$/);
    expect((await inject('GET', '/api/machines/line9')).statusCode).toBe(200);
    expect((await inject('GET', '/api/products/rsv')).statusCode).toBe(200);
  });

  it('edits a product routing and keeps leading-zero-free item numbers as strings', async () => {
    const before = (await inject('GET', '/api/products/rsv')).json();
    const routing = [...before.routing, { group: 'swab', ratePerHour: 1200, setupMinutes: 5, gate: { name: 'Supervisor sign-off', hours: 2, role: 'lead' } }];
    const res = await inject('PATCH', '/api/products/rsv', { routing, version: before.version });
    expect(res.statusCode).toBe(200);
    const after = (await inject('GET', '/api/products/rsv')).json();
    expect(after.routing).toHaveLength(3);
    expect(after.routing[2]).toEqual({ group: 'swab', ratePerHour: 1200, setupMinutes: 5, gate: { name: 'Supervisor sign-off', hours: 2, role: 'lead' } });
    expect(after.version).toBe(before.version + 1);
  });

  it('serves health and the OpenAPI document', async () => {
    expect((await inject('GET', '/api/health')).json()).toMatchObject({ status: 'ok', db: dialect });
    const doc = (await inject('GET', '/api/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/machines', '/api/calendar/working-time', '/api/products/{key}']));
  });
});
