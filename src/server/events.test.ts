// Live streams end with their session (issue 10 item 11): real listening servers, a real HTTP
// client reading /api/events. Two instances over one database: `local` ends streams only through
// the auth feature's notice (its recheck is a minute away), `peer` has its own hub and learns of
// ended sessions only by rechecking them (every 150 ms here).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { EventHub } from './events.js';
import type { App } from './context.js';
import { seedDatabase } from '../features/demo/seed.js';
import { clearSessionCache, sha256 } from '../features/auth/sessions.js';
import { createTestUser, signIn, TEST_AUTH_ENV, withSession, type TestSession } from '../testing/auth.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import type { InjectOptions } from 'fastify';

const PEER_RECHECK_MS = 150;

interface SseMessage {
  event: string;
  data: string;
}

/** An open /api/events response, parsed as it arrives. */
class EventStream {
  readonly messages: SseMessage[] = [];
  closedAt: number | null = null;
  private buffer = '';
  private waiters: (() => void)[] = [];

  constructor(readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
        if (event) this.messages.push({ event, data });
      }
      this.wake();
    });
    const closed = () => {
      this.closedAt ??= Date.now();
      this.wake();
    };
    response.on('end', closed);
    response.on('close', closed);
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once `ready()` holds; rejects after `ms` with what was seen. */
  async until(ready: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!ready()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not within ${ms} ms (saw ${JSON.stringify(this.messages)}, closed: ${this.closedAt !== null})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  of(event: string): SseMessage[] {
    return this.messages.filter((m) => m.event === event);
  }

  destroy() {
    this.response.destroy();
  }
}

function openStream(app: App, session: TestSession): Promise<EventStream> {
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers: { cookie: session.cookie, accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) reject(new Error(`/api/events answered ${response.statusCode}`));
      else resolve(new EventStream(response));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('/api/events ends with its session', () => {
  let database: TestDatabase;
  let local: App;
  let peer: App;
  let localHub: EventHub;
  let peerHub: EventHub;
  const streams: EventStream[] = [];

  const as = (app: App, session: TestSession, options: InjectOptions) => app.inject(withSession(options, session));
  const viewerSession = async (app: App = local) => signIn(app.inject.bind(app), await createTestUser(database.db, 'viewer'));
  const open = async (app: App, session: TestSession) => {
    const stream = await openStream(app, session);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite', 'live-sessions', TEST_AUTH_ENV);
    await seedDatabase(database.db, database.config, true);
    localHub = new EventHub();
    peerHub = new EventHub();
    local = await buildApp({ db: database.db, dialect: 'sqlite', config: database.config, events: localHub }, { logger: false, liveSessionRecheckMs: 60_000 });
    peer = await buildApp({ db: database.db, dialect: 'sqlite', config: database.config, events: peerHub }, { logger: false, liveSessionRecheckMs: PEER_RECHECK_MS });
    await local.listen({ port: 0, host: '127.0.0.1' });
    await peer.listen({ port: 0, host: '127.0.0.1' });
  }, 60_000);

  afterAll(async () => {
    for (const stream of streams) stream.destroy();
    await local?.close();
    await peer?.close();
    await database?.destroy();
  });

  it('a signed-out session gets session-ended and its stream closes at once (no recheck needed)', async () => {
    const session = await viewerSession();
    const stream = await open(local, session);
    localHub.publish({ topic: 'plant' });
    await stream.until(() => stream.of('plant').length === 1, 2000, 'the first event');

    const signedOutAt = Date.now();
    expect((await as(local, session, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    await stream.until(() => stream.closedAt !== null, 1000, 'the stream closing after sign-out');
    expect(stream.closedAt! - signedOutAt).toBeLessThan(1000);
    const [ended] = stream.of('session-ended');
    expect(ended, 'session-ended before the end').toBeDefined();
    expect(JSON.parse(ended.data)).toEqual({ reason: 'signed-out', message: 'You have signed out.' });
    expect(stream.messages.at(-1)?.event).toBe('session-ended');
    // nothing more is delivered to it
    localHub.publish({ topic: 'plant' });
    expect(stream.of('plant')).toHaveLength(1);
  });

  it('a session an administrator revokes, or that signs out everywhere, ends all its streams', async () => {
    const viewer = await createTestUser(database.db, 'viewer');
    const first = await signIn(local.inject.bind(local), viewer);
    const second = await signIn(local.inject.bind(local), viewer);
    const streamsOfViewer = [await open(local, first), await open(local, second)];
    const admin = await signIn(local.inject.bind(local), await createTestUser(database.db, 'admin'));
    const revoked = await as(local, admin, { method: 'POST', url: `/api/users/${viewer.id}/sign-out` });
    expect(revoked.json()).toEqual({ sessionsEnded: 2 });
    for (const stream of streamsOfViewer) {
      await stream.until(() => stream.closedAt !== null, 1000, 'a revoked session\'s stream closing');
      expect(JSON.parse(stream.of('session-ended')[0].data).reason).toBe('ended-by-administrator');
    }

    const session = await viewerSession();
    const stream = await open(local, session);
    expect((await as(local, session, { method: 'POST', url: '/api/auth/logout-all' })).statusCode).toBe(200);
    await stream.until(() => stream.closedAt !== null, 1000, 'the stream closing after sign-out everywhere');
    expect(stream.of('session-ended')).toHaveLength(1);
  });

  it('an expired session\'s stream closes by the periodic recheck', async () => {
    const session = await viewerSession(peer);
    const stream = await open(peer, session);
    const expiresAt = Date.now() + 300;
    await database.db.updateTable('sessions').set({ expires_at: expiresAt }).where('id_hash', '=', sha256(session.sessionId)).execute();
    clearSessionCache();
    await stream.until(() => stream.closedAt !== null, 300 + PEER_RECHECK_MS * 10, 'the stream of an expired session closing');
    expect(stream.closedAt!).toBeGreaterThanOrEqual(expiresAt);
    expect(JSON.parse(stream.of('session-ended')[0].data)).toEqual({ reason: 'expired', message: 'Your session has ended; sign in again.' });
  });

  it('a sign-out on another instance ends the stream here by the recheck', async () => {
    const session = await viewerSession(local);
    const stream = await open(peer, session);
    expect((await as(local, session, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    await stream.until(() => stream.closedAt !== null, PEER_RECHECK_MS * 10, 'the other instance\'s stream closing');
    expect(JSON.parse(stream.of('session-ended')[0].data).reason).toBe('unknown');
  });

  it('a live session\'s stream keeps delivering through many rechecks and other users\' sign-outs', async () => {
    const session = await viewerSession(peer);
    const stream = await open(peer, session);
    const other = await viewerSession(peer);
    const otherStream = await open(peer, other);
    expect((await as(peer, other, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    await otherStream.until(() => otherStream.closedAt !== null, 1000, 'the other user\'s stream closing');

    for (let round = 1; round <= 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, PEER_RECHECK_MS * 3));
      peerHub.publish({ topic: 'schedule', data: { round } });
      await stream.until(() => stream.of('schedule').length === round, 2000, `event ${round}`);
    }
    expect(stream.closedAt).toBeNull();
    expect(stream.of('session-ended')).toEqual([]);
    expect(JSON.parse(stream.of('schedule')[2].data)).toMatchObject({ topic: 'schedule', data: { round: 3 } });
  });
});
