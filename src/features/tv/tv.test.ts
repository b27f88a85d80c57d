// The TV view and its device tokens (issue 12 item 3), on every dialect: admins create and revoke
// tokens (each audited); a token, traded for its device cookie, reads /api/tv (its groups only) and
// the live event stream, nothing else; after revocation it is refused (401) and its stream ends.
// The tiles themselves: a real upload of cycles on a loaded lot, then a stop reported the way the
// MQTT state message reports it.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthTestApp, cookieFrom, type AuthTestApp } from '../../testing/auth.js';
import { DIALECTS } from '../../testing/databases.js';
import { multipartFiles } from '../../testing/machine-data.js';
import * as machineRepo from '../machine-data/repository.js';
import { TV_COOKIE } from '../auth/tv-devices.js';
import { tvView } from './service.js';
import type { TvResponse } from './schemas.js';

/** Reads /api/events with only the device cookie until `until` holds or the stream ends. */
function readEvents(port: number, cookie: string, until: (text: string) => boolean): Promise<{ status: number; text: string; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (until(text)) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text, ended: false });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, ended: true }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(DIALECTS)('TV screens on %s', (dialect) => {
  let t: AuthTestApp;
  let port: number;
  beforeAll(async () => {
    t = await createAuthTestApp(dialect, 'tv');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t?.close());

  const audit = (key: string) =>
    t.database.db.selectFrom('audit_log').select(['actor', 'action', 'after']).where('entity', '=', 'tv-device').where('entity_key', '=', key).orderBy('id').execute();
  const asDevice = (url: string, cookie: string, method: 'GET' | 'POST' = 'GET') => t.app.inject({ method, url, headers: { cookie }, ...(method === 'POST' ? { payload: {} } : {}) });

  it('creates a token once (audited, only its hash stored), lets it read the TV data of its groups and the events, nothing else; revoked: 401', async () => {
    const created = await t.inject({ method: 'POST', url: '/api/tv-devices', payload: { name: 'Hall B north wall', groups: ['pouching-itrak'] } });
    expect(created.statusCode, created.body).toBe(201);
    const device = created.json();
    expect(device.token).toMatch(/^[\w-]{32}$/);
    expect(device.link).toBe(`/tv?token=${device.token}&groups=pouching-itrak`);
    expect(await audit(String(device.id))).toEqual([{ actor: t.admin.username, action: 'create', after: JSON.stringify({ name: 'Hall B north wall', groups: ['pouching-itrak'], revokedAt: null }) }]);
    const stored = await t.database.db.selectFrom('tv_devices').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(device.token);
    // the list never shows the token again
    const listed = (await t.inject({ method: 'GET', url: '/api/tv-devices' })).json();
    expect(JSON.stringify(listed)).not.toContain(device.token);

    // the screen trades the token for an httpOnly device cookie
    const traded = await t.app.inject({ method: 'POST', url: '/api/tv/device', payload: { token: device.token } });
    expect(traded.statusCode, traded.body).toBe(200);
    expect(traded.json()).toEqual({ name: 'Hall B north wall', groups: ['pouching-itrak'] });
    const setCookie = String(traded.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    const cookie = `${TV_COOKIE}=${cookieFrom(traded, TV_COOKIE)}`;

    const tv = await asDevice('/api/tv', cookie);
    expect(tv.statusCode, tv.body).toBe(200);
    const body = tv.json() as TvResponse;
    expect(body.groups.map((g) => g.key)).toEqual(['pouching-itrak']);
    expect(body.groups[0].tiles.map((tile) => tile.machine)).toContain('line7');
    expect((await asDevice('/api/tv?groups=kitting', cookie)).statusCode).toBe(403);
    expect((await asDevice('/api/tv?groups=nope', cookie)).json().error.fields[0].path).toBe('query.groups');
    // nothing else: reads and changes of the rest of the API are refused as anonymous
    for (const url of ['/api/work-orders', '/api/machines', '/api/production/state?machine=line7', '/api/tv-devices', '/api/audit', '/api/users']) {
      expect((await asDevice(url, cookie)).statusCode, url).toBe(401);
    }
    expect((await asDevice('/api/tv-devices', cookie, 'POST')).statusCode).toBe(401);
    // a browser still holding an ended person's session: the screen goes on by its token, for the TV routes only
    const staleSession = `${cookie}; qmfg_session=ended-long-ago`;
    expect((await asDevice('/api/tv', staleSession)).statusCode).toBe(200);
    expect((await asDevice('/api/work-orders', staleSession)).statusCode).toBe(401);

    // the event stream: open with the device cookie, carries production but not e.g. plant changes
    const stream = readEvents(port, cookie, (text) => text.includes('event: production'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    t.deps.events.publish({ topic: 'plant', data: { secret: 'not for the wall' } });
    t.deps.events.publish({ topic: 'production', data: { machines: ['line7'], cycles: 1 } });
    const seen = await stream;
    expect(seen.status).toBe(200);
    expect(seen.text).toContain('event: production');
    expect(seen.text).not.toContain('not for the wall');

    // revoked: audited, the open stream ends at once, every later request is a 401
    const open = readEvents(port, cookie, () => false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const revoked = await t.inject({ method: 'POST', url: `/api/tv-devices/${device.id}/revoke` });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedBy).toBe(t.admin.username);
    expect((await audit(String(device.id))).map((e) => e.action)).toEqual(['create', 'revoke']);
    const ended = await open;
    expect(ended.ended).toBe(true);
    expect(ended.text).toContain('event: session-ended');
    expect((await asDevice('/api/tv', cookie)).statusCode).toBe(401);
    expect((await asDevice('/api/events', cookie)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/tv/device', payload: { token: device.token } })).statusCode).toBe(401);
    expect((await t.inject({ method: 'POST', url: `/api/tv-devices/${device.id}/revoke` })).statusCode).toBe(409);
  });

  it('refuses bad input with the field: unknown group, no name', async () => {
    const unknown = await t.inject({ method: 'POST', url: '/api/tv-devices', payload: { name: 'x', groups: ['nope'] } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].path).toBe('body.groups[0]');
    const noName = await t.inject({ method: 'POST', url: '/api/tv-devices', payload: { name: ' ', groups: [] } });
    expect(noName.statusCode).toBe(400);
    expect((await t.inject({ method: 'POST', url: '/api/tv-devices/999999/revoke' })).statusCode).toBe(404);
  });

  it('tiles: a loaded lot running from uploaded cycles, then stopped by a reported stop, with rate, % done and OEE of the shift', async () => {
    const zone = t.database.config.QMFG_TZ;
    // a Wednesday 10:00 plant time, inside the demo plant's first shift
    const at = DateTime.fromISO('2026-11-25T10:00:00', { zone }).toMillis();
    const lot = String(DIALECTS.indexOf(dialect) + 771001);
    expect((await t.inject({ method: 'POST', url: '/api/work-orders', payload: { lot, product: 'flu-ab', quantity: 1000 } })).statusCode).toBe(201);
    expect((await t.inject({ method: 'POST', url: `/api/work-orders/${lot}/operations/0/load`, payload: { machine: 'line7', mode: 'insert', position: 0 } })).statusCode).toBeLessThan(300);
    // 10 minutes at one part every 1.2 s (50/min = 3000/h) ending 10 s before `at`
    const lines: string[] = [];
    const count = 500;
    for (let i = 0; i < count; i++) {
      const when = DateTime.fromMillis(at - 10_000 - (count - 1 - i) * 1200, { zone });
      lines.push(`1169100,${lot},${String(100000 + i)},1,${when.toFormat('MM/dd/yy HH:mm:ss.SSS')}`);
    }
    const upload = await t.inject({ method: 'POST', url: '/api/ingest/upload?machine=line7', ...multipartFiles([{ name: 'PR20261125.txt', content: Buffer.from(lines.join('\r\n') + '\r\n') }]) });
    expect(upload.statusCode, upload.body).toBeLessThan(300);
    expect(upload.json().files[0].cycles).toBe(500);

    const tileAt = async (now: number) => (await tvView(t.database.db, zone, ['pouching-itrak'], { allowed: null }, now)).groups[0].tiles.find((tile) => tile.machine === 'line7')!;
    const running = await tileAt(at);
    expect(running).toMatchObject({ state: 'running', lot, product: { key: 'flu-ab' }, quantity: 1000, produced: count, done: 0.5, standardRatePerHour: 5000 });
    // 500 parts, all inside the last 15 min: 2000 per hour
    expect(running.ratePerHour).toBe(2000);
    expect(running.oee).not.toBeNull();
    expect(running.oee!).toBeGreaterThan(0);

    // the machine reports a stop (the MQTT state message's store): stopped at once
    await machineRepo.putReportedState(t.database.db, { machine: 'line7', state: 'stopped', at: at + 1000, receivedAt: at + 1000, source: 'test', reason: null });
    const stopped = await tileAt(at + 5 * 60_000);
    expect(stopped).toMatchObject({ state: 'stopped', stateSince: at + 1000 });
    // at night the same machine is off shift
    expect((await tileAt(DateTime.fromISO('2026-11-26T02:00:00', { zone }).toMillis())).state).toBe('off-shift');
  });
});
