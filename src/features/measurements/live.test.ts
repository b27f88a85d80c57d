// The live doors of measurements: the channels/ drop folder (a growing file read to its last
// complete line, its last line taken once it settles) and MQTT through the real Mosquitto broker at
// 127.0.0.1:1883 (one sample, a batch, a redelivery, malformed payloads counted with topic and reason).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { tempFolder } from '../../testing/machine-data.js';
import { seedDatabase } from '../demo/seed.js';
import { createChannel, samplesInWindow } from './service.js';
import { MeasurementWatcher } from './watcher.js';
import { MeasurementMqtt } from './mqtt.js';
import type { Channel } from './schemas.js';

const ZONE = 'America/Los_Angeles';
const ALL: [number, number] = [0, 8.64e15];
const until = async (check: () => Promise<boolean> | boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('live measurement doors', () => {
  let t: TestDatabase;
  let channel: Channel;
  const folder = tempFolder('meas-live');
  const warnings: string[] = [];
  const log = { info: () => {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
  beforeAll(async () => {
    t = await createTestDatabase('sqlite', 'meas-live');
    await seedDatabase(t.db, t.config, true);
    channel = await createChannel(t.db, { actor: 'test' }, 'line7', { key: 'vacuum', name: 'Vacuum', quantity: 'pressure', unit: 'kPa', target: null, lsl: null, usl: null, samplePeriodSeconds: 1, source: { kind: 'drop-folder' } });
  });
  afterAll(async () => {
    await t?.destroy();
    folder.remove();
  });
  const stored = async () => (await samplesInWindow(t.db, channel.id, ...ALL)).length;

  it('reads a growing file in <drop>/<machine>/channels/ and takes its last line once it settles', async () => {
    const watcher = new MeasurementWatcher({ db: t.db, zone: ZONE, root: folder.path, log, usePolling: true, pollIntervalMs: 50, settleMs: 600 });
    await watcher.start();
    try {
      mkdirSync(join(folder.path, 'line7', 'channels'), { recursive: true });
      const path = join(folder.path, 'line7', 'channels', 'vacuum.csv');
      writeFileSync(path, 'time,vacuum\n2026-12-03T06:00:00,-60\n2026-12-03T06:00:01,-61');
      await until(async () => (await stored()) === 1);
      appendFileSync(path, '\n2026-12-03T06:00:02,-62');
      // the last line has no line break: stored only once the file has settled
      await until(async () => (await stored()) === 3);
      writeFileSync(join(folder.path, 'line7', 'channels', 'notes.docx'), 'ignored');
      await watcher.idle();
      expect(await stored()).toBe(3);
    } finally {
      await watcher.close();
    }
  });

  it('stores MQTT samples once, and counts and logs malformed payloads with topic and reason', async () => {
    const prefix = `qmfg-test-${randomBytes(4).toString('hex')}`;
    const subscriber = new MeasurementMqtt({ url: 'mqtt://127.0.0.1:1883', topicPrefix: prefix, db: t.db, zone: ZONE, log });
    await subscriber.start();
    const publisher = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    try {
      const topic = `${prefix}/line7/measurements`;
      const base = Date.UTC(2026, 11, 3, 15);
      await publisher.publishAsync(topic, JSON.stringify({ channel: 'vacuum', at: base, value: -60.5 }), { qos: 1 });
      await publisher.publishAsync(topic, JSON.stringify({ channel: 'vacuum', samples: [[base + 1000, -60.6], [base + 2000, -60.7]] }), { qos: 1 });
      await publisher.publishAsync(topic, JSON.stringify({ channel: 'vacuum', at: base, value: -60.5 }), { qos: 1 }); // redelivered
      await publisher.publishAsync(topic, 'not json', { qos: 1 });
      await publisher.publishAsync(topic, JSON.stringify({ channel: 'vacuum' }), { qos: 1 });
      await until(() => subscriber.counts.messages === 5);
      await subscriber.idle();
      expect(subscriber.counts).toMatchObject({ messages: 5, malformed: 2, stored: 3 });
      expect(await stored()).toBe(6);
      expect(warnings.filter((w) => w.startsWith(`${topic}: malformed`))).toEqual([
        expect.stringContaining('not JSON'),
        expect.stringContaining('value: a finite number is required'),
      ]);
    } finally {
      await publisher.endAsync();
      await subscriber.close();
    }
    // what the stream stored is audited in one summary entry (here: when the subscriber stopped)
    const entries = await t.db.selectFrom('audit_log').select(['entity_key', 'after']).where('entity', '=', 'measurement-stream').execute();
    expect(entries.map((e) => [e.entity_key, JSON.parse(String(e.after)).samples])).toEqual([['line7/mqtt', 3]]);
  });
});
