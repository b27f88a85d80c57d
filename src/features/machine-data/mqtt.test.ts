// Round trip through the real Mosquitto broker at 127.0.0.1:1883 (npm test starts it).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { EventHub } from '../../server/events.js';
import { seedDatabase } from '../demo/seed.js';
import { ingestorFor } from './ingest.js';
import { messageKeys, MqttIngest } from './mqtt.js';
import { ProductionNotifier, SILENT_LOG, type Log } from './notifier.js';
import * as repo from './repository.js';
import * as ledgerRepo from './ledger-repository.js';
import { LINE8_DAYS, ZONE, within } from '../../testing/machine-data.js';

const BROKER = process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';


describe('MQTT ingest with the real broker', () => {
  let t: TestDatabase;
  let ingest: MqttIngest;
  let publisher: MqttClient;
  const prefix = `qmfg-test-${randomBytes(4).toString('hex')}`;
  const problems: string[] = [];
  const topics: string[] = [];
  const log: Log = { ...SILENT_LOG, error: (message) => problems.push(message) };
  const lines = readFileSync(LINE8_DAYS[0], 'latin1').split('\n').slice(0, 400);

  beforeAll(async () => {
    t = await createTestDatabase('sqlite', 'mqtt');
    await seedDatabase(t.db, t.config, true);
    const hub = new EventHub();
    hub.subscribe((event) => topics.push(event.topic));
    ingest = new MqttIngest({
      url: BROKER, topicPrefix: prefix, clientId: `${prefix}-server`, sessionExpirySeconds: 30, ingestor: ingestorFor(t.db, ZONE),
      notifier: new ProductionNotifier(t.db, ZONE, hub, log, 0), zone: ZONE, log,
    });
    await ingest.start();
    publisher = await mqtt.connectAsync(BROKER, { clientId: `${prefix}-camera`, protocolVersion: 5 });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await ingest?.close();
    await t?.destroy();
  });

  const count = () => repo.countCycles(t.db, 'line8');

  it('stores published lines once, whether sent one per message or many, and drops redeliveries', async () => {
    for (const line of lines.slice(0, 100)) await publisher.publishAsync(`${prefix}/line8/cycles`, line, { qos: 1 });
    expect(await within(5000, count, (n) => n >= 100)).toBe(100);
    await publisher.publishAsync(`${prefix}/line8/cycles`, `${lines.slice(100, 300).join('\r\n')}\r\n`, { qos: 1 });
    expect(await within(5000, count, (n) => n >= 300)).toBe(300);
    // the same lines again (a camera re-sending after a reconnect): nothing new
    await publisher.publishAsync(`${prefix}/line8/cycles`, lines.slice(250, 300).join('\n'), { qos: 1 });
    // with a message id: the message counts once, even when its lines differ from anything sent
    const withId = { qos: 1 as const, properties: { userProperties: { id: 'cam8-000042' } } };
    await publisher.publishAsync(`${prefix}/line8/cycles`, lines.slice(300, 350).join('\n'), withId);
    await publisher.publishAsync(`${prefix}/line8/cycles`, lines.slice(300, 350).join('\n'), withId);
    await publisher.publishAsync(`${prefix}/line8/cycles`, lines.slice(350, 400).join('\n'), { qos: 1 });
    expect(await within(5000, count, (n) => n >= 400)).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count()).toBe(400);
    const stored = await repo.cyclesInArrivalOrder(t.db, 'line8');
    expect(stored.map((c) => c.serial)).toEqual(lines.map((line) => line.split(',')[2]));
    expect(stored.map((c) => c.line)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const [ledger] = await ledgerRepo.listLedger(t.db, { machine: 'line8', limit: 1 });
    expect(ledger).toMatchObject({ source: 'mqtt', cycles: 400, consumedLines: 400, path: `${prefix}/line8/cycles` });
    expect(topics).toContain('production');
    expect(problems).toEqual([]);
  });

  it('reports bad lines with their stream line number and keeps the good ones', async () => {
    const before = await count();
    const result = await ingest.handle(`${prefix}/line8/cycles`, Buffer.from(`1330700,159070,999999,1\n${'1330700,159070,999998,1,10/10/22 23:59:00.000'}\n`), {});
    expect(result?.cycles).toBe(1);
    expect(result?.errors).toEqual([{ file: `mqtt:${prefix}/line8/cycles`, line: 401, message: expect.stringMatching(/found 4/) }]);
    expect(await count()).toBe(before + 1);
    expect(await ingest.handle(`${prefix}/nope/cycles`, Buffer.from(lines[0]), {})).toBeNull();
  });

  it('keys a message by its id, else each line by content and machine', () => {
    expect(messageKeys('line8', ['a', 'b'], 'm-1')).toEqual(['id:m-1']);
    const [a, b] = messageKeys('line8', ['a', 'b'], null);
    expect(a).not.toBe(b);
    expect(messageKeys('line7', ['a'], null)[0]).not.toBe(a);
    expect(messageKeys('line8', ['x'], 'y'.repeat(200))[0]).toMatch(/^id#[0-9a-f]{64}$/);
  });
});
