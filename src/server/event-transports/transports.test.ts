// Two hubs joined by a real transport (PostgreSQL LISTEN/NOTIFY, Redis pub/sub), as two instances
// are: an event published on one reaches the other's listeners once (described there) and not its
// own twice; ended sessions cross too; a killed connection comes back with a resync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createClient } from 'redis';
import { EventHub, RESYNC_TOPIC, type LiveEvent, type SessionEnd } from '../events.js';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { PostgresTransport } from './postgres.js';
import { RedisTransport } from './redis.js';
import { decodeTransportMessage, encodeTransportMessage, MAX_PAYLOAD_BYTES, type EventTransport } from './transport.js';
import { chooseEventTransport } from './choose.js';

const REDIS_URL = process.env.QMFG_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Events a hub's listeners got, with a wait for a condition. */
function recorder(hub: EventHub) {
  const seen: (LiveEvent & { at: number })[] = [];
  hub.subscribe((event) => seen.push(event));
  return {
    seen,
    of: (topic: string) => seen.filter((e) => e.topic === topic),
    async until(ready: () => boolean, ms: number, what: string) {
      const deadline = Date.now() + ms;
      while (!ready()) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms (saw ${JSON.stringify(seen)})`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

describe('transport messages', () => {
  it('round-trip events, ended sessions and resync notices; reject what is not ours', () => {
    const end: SessionEnd = { userId: 3, exceptIdHash: 'x', reason: 'signed-out', message: 'bye' };
    for (const message of [
      { origin: 'a', kind: 'event' as const, topic: 'schedule', data: { lot: 'L1' } },
      { origin: 'a', kind: 'event' as const, topic: 'plant' },
      { origin: 'a', kind: 'session-end' as const, end },
      { origin: 'a', kind: 'resync' as const },
    ]) {
      expect(decodeTransportMessage(encodeTransportMessage(message))).toEqual(message);
    }
    for (const bad of ['', 'null', '{"k":"e","t":"x"}', '{"o":"a","k":"e"}', '{"o":"a","k":"s","e":{"reason":"r"}}', '{"o":"a","k":"?"}']) expect(decodeTransportMessage(bad)).toBeNull();
  });

  it('an event whose data would not fit in a NOTIFY goes out as its topic alone', () => {
    const lots = Array.from({ length: 2000 }, (_, i) => `LOT-${i}`);
    const text = encodeTransportMessage({ origin: 'a', kind: 'event', topic: 'schedule', data: { imported: lots } });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(decodeTransportMessage(text)).toEqual({ origin: 'a', kind: 'event', topic: 'schedule' });
  });
});

describe('choice of transport (QMFG_EVENTS)', () => {
  it('auto: postgres on PostgreSQL, redis on MySQL with a Redis URL, else in-process (warned on MySQL)', () => {
    expect(chooseEventTransport({ QMFG_EVENTS: 'auto', QMFG_REDIS_URL: '' }, 'postgres')).toEqual({ kind: 'postgres', warning: null });
    expect(chooseEventTransport({ QMFG_EVENTS: 'auto', QMFG_REDIS_URL: 'redis://r' }, 'mysql')).toEqual({ kind: 'redis', warning: null });
    expect(chooseEventTransport({ QMFG_EVENTS: 'auto', QMFG_REDIS_URL: '' }, 'mysql').kind).toBe('inprocess');
    expect(chooseEventTransport({ QMFG_EVENTS: 'auto', QMFG_REDIS_URL: '' }, 'mysql').warning).toMatch(/QMFG_REDIS_URL/);
    expect(chooseEventTransport({ QMFG_EVENTS: 'auto', QMFG_REDIS_URL: '' }, 'sqlite')).toEqual({ kind: 'inprocess', warning: null });
    expect(chooseEventTransport({ QMFG_EVENTS: 'redis', QMFG_REDIS_URL: 'redis://r' }, 'postgres').kind).toBe('redis');
  });
});

interface Kind {
  name: string;
  make(): EventTransport;
  /** ends the transport's connection(s) from the server side */
  kill(transport: EventTransport): Promise<void>;
}

let database: TestDatabase;
let redisChannel: string;

const KINDS: Kind[] = [
  {
    name: 'postgres',
    make: () => new PostgresTransport(database.url),
    async kill(transport) {
      const pid = (transport as PostgresTransport).connectionPid;
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await admin.end();
    },
  },
  {
    name: 'redis',
    make: () => new RedisTransport(REDIS_URL, redisChannel),
    async kill() {
      const admin = createClient({ url: REDIS_URL });
      await admin.connect();
      // every connection subscribed to the channel (the subscribers of both hubs)
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await admin.close();
    },
  },
];

beforeAll(async () => {
  database = await createTestDatabase('postgres', 'transports');
  redisChannel = `qmfg:events:test-${Math.random().toString(36).slice(2)}`;
}, 60_000);

afterAll(async () => {
  await database?.destroy();
});

describe.each(KINDS)('$name transport between two hubs', (kind) => {
  let a: EventHub;
  let b: EventHub;
  let transportOfA: EventTransport;

  beforeAll(async () => {
    a = new EventHub();
    b = new EventHub();
    transportOfA = kind.make();
    await a.connect(transportOfA, quiet);
    await b.connect(kind.make(), quiet);
  });

  afterAll(async () => {
    await a?.disconnect();
    await b?.disconnect();
  });

  it('an event published on A reaches B once, and A\'s own listeners once (its echo ignored)', async () => {
    const onA = recorder(a);
    const onB = recorder(b);
    const localOnB: string[] = [];
    const stopLocal = b.local.subscribe((event) => localOnB.push(event.topic));
    a.publish({ topic: 'schedule', data: { lot: 'WO-1' } });
    await onB.until(() => onB.of('schedule').length === 1, 2000, 'the event on B');
    expect(onB.of('schedule')[0].data).toEqual({ lot: 'WO-1' });
    // time for an echo or a second delivery to arrive
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onA.of('schedule')).toHaveLength(1);
    expect(onB.of('schedule')).toHaveLength(1);
    // B's followers of its own events do not see A's
    expect(localOnB).toEqual([]);
    stopLocal();
  });

  it('the receiving hub describes the event itself, in the order events were published', async () => {
    const onB = recorder(b);
    b.describe('production', async (data, now) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { ...(data as object), describedOn: 'b', at: now };
    });
    a.publish({ topic: 'production', data: { machines: ['M1'], cycles: 3 } });
    a.publish({ topic: 'schedule', data: { lot: 'WO-2' } });
    await onB.until(() => onB.seen.length === 2, 2000, 'both events on B');
    expect(onB.seen.map((e) => e.topic)).toEqual(['production', 'schedule']);
    expect(onB.seen[0].data).toMatchObject({ machines: ['M1'], cycles: 3, describedOn: 'b' });
    b.describe('production', null);
  });

  it('a session ended on A ends its streams on B too', async () => {
    const ends: SessionEnd[] = [];
    const stop = b.onSessionEnd((end) => ends.push(end));
    a.endSessions({ idHash: 'abc', reason: 'signed-out', message: 'You have signed out.' });
    const deadline = Date.now() + 2000;
    while (ends.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ends).toEqual([{ idHash: 'abc', reason: 'signed-out', message: 'You have signed out.' }]);
    stop();
  });

  it('a lost connection reconnects, resyncs the screens and carries events again', async () => {
    const onA = recorder(a);
    const onB = recorder(b);
    await kind.kill(transportOfA);
    await onA.until(() => onA.of(RESYNC_TOPIC).length >= 1, 10_000, 'a resync on A after its reconnect');
    // events flow again both ways
    const deadline = Date.now() + 10_000;
    let round = 0;
    while (onB.of('calendar').length === 0) {
      if (Date.now() > deadline) throw new Error('no event from A on B after the reconnect');
      a.publish({ topic: 'calendar', data: { round: ++round } });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    b.publish({ topic: 'plant', data: { entity: 'machine', key: 'M1' } });
    await onA.until(() => onA.of('plant').length === 1, 2000, 'an event from B on A');
  }, 30_000);
});
