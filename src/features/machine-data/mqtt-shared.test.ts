// Two instances as members of one shared subscription ($share/qmfg/…) on the real Mosquitto broker and
// a server database: the broker splits one machine's messages between them in no order across
// members; with previousAt (as the simulator publishes) every line is stored once and in the
// machine's order, and both members took part.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { EventHub } from '../../server/events.js';
import { seedDatabase } from '../demo/seed.js';
import { SensorLogParser } from '../../core/sensor/index.js';
import { ingestorFor } from './ingest.js';
import { MqttIngest } from './mqtt.js';
import { ProductionNotifier, SILENT_LOG, type Log } from './notifier.js';
import * as repo from './repository.js';
import { LINE8_DAYS, ZONE, within } from '../../testing/machine-data.js';

const BROKER = process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';
const MESSAGES = 300;

describe.each(['postgres', 'mysql'] as const)('MQTT shared subscription, two members on %s', (dialect) => {
  let t: TestDatabase;
  const members: MqttIngest[] = [];
  const handled = [0, 0];
  let publisher: MqttClient;
  const prefix = `qmfg-share-${randomBytes(4).toString('hex')}`;
  const problems: string[] = [];
  const log: Log = { ...SILENT_LOG, error: (message) => problems.push(message) };
  const lines = readFileSync(LINE8_DAYS[0], 'latin1').split('\n').slice(0, MESSAGES);
  const instants = new SensorLogParser({ file: 'test', zone: ZONE }).push(Buffer.from(`${lines.join('\n')}\n`, 'latin1')).cycles.map((c) => c.at);

  beforeAll(async () => {
    t = await createTestDatabase(dialect, 'mqtt-shared');
    await seedDatabase(t.db, t.config, true);
    for (const i of [0, 1]) {
      const member = new MqttIngest({
        url: BROKER, topicPrefix: prefix, clientId: `${prefix}-server-${i}`, sessionExpirySeconds: 30, shared: true, ingestor: ingestorFor(t.db, ZONE),
        notifier: new ProductionNotifier(t.db, ZONE, new EventHub(), log, 0), zone: ZONE, log,
      });
      const handle = member.handle.bind(member);
      member.handle = (...args) => {
        handled[i]++;
        return handle(...args);
      };
      await member.start();
      members.push(member);
    }
    publisher = await mqtt.connectAsync(BROKER, { clientId: `${prefix}-camera`, protocolVersion: 5 });
  }, 60_000);
  afterAll(async () => {
    await publisher?.endAsync();
    for (const member of members) await member.close();
    await t?.destroy();
  });

  it('subscribes to the shared topic filter', () => {
    expect(members[0].topicFilter).toBe(`$share/qmfg/${prefix}/+/cycles`);
    expect(members[0].stateTopicFilter).toBe(`$share/qmfg/${prefix}/+/state`);
  });

  it('stores every line once, in the machine\'s order, with both members taking messages', async () => {
    for (const [i, line] of lines.entries()) {
      const userProperties: Record<string, string> = { id: `cam8-${i}` };
      if (i > 0) userProperties.previousAt = String(instants[i - 1]);
      await publisher.publishAsync(`${prefix}/line8/cycles`, line, { qos: 1, properties: { userProperties } });
    }
    // a redelivery of a stored message changes nothing
    await publisher.publishAsync(`${prefix}/line8/cycles`, lines[5], { qos: 1, properties: { userProperties: { id: 'cam8-5', previousAt: String(instants[4]) } } });
    const count = () => repo.countCycles(t.db, 'line8');
    expect(await within(30_000, count, (n) => n >= MESSAGES)).toBe(MESSAGES);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await count()).toBe(MESSAGES);
    const stored = await repo.cyclesInArrivalOrder(t.db, 'line8');
    expect(stored.map((c) => c.serial)).toEqual(lines.map((line) => line.split(',')[2]));
    expect(handled[0]).toBeGreaterThan(MESSAGES / 4);
    expect(handled[1]).toBeGreaterThan(MESSAGES / 4);
    expect(handled[0] + handled[1]).toBe(MESSAGES + 1);
    expect(problems).toEqual([]);
  }, 60_000);
});
