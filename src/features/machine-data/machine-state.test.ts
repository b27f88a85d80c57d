// A machine's state over the API, and a state message over the real Mosquitto broker that flips it
// at once (no waiting for the 60 s threshold of the itrak-legacy profile).
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { ingestorFor } from './ingest.js';
import { MqttIngest, parseStateMessage, stateMessage } from './mqtt.js';
import { ProductionNotifier, SILENT_LOG } from './notifier.js';
import { within } from '../../testing/machine-data.js';

const BROKER = process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';


describe('machine state: API and MQTT state messages', () => {
  let t: TestApp;
  let ingest: MqttIngest;
  let publisher: MqttClient;
  let zone: string;
  const prefix = `qmfg-state-${randomBytes(4).toString('hex')}`;
  const topics: string[] = [];
  /** camera lines for the given instants (plant-local, as the camera writes them) */
  const lines = (instants: number[]) =>
    instants.map((at, i) => `1330700,159070,${900_000 + i + Math.floor(at % 100_000)},1,${DateTime.fromMillis(at, { zone }).toFormat('MM/dd/yy HH:mm:ss.SSS')}`).join('\n');
  const state = async (machine: string) => {
    const res = await t.app.inject({ url: `/api/production/state?machine=${machine}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().machines[0];
  };

  beforeAll(async () => {
    t = await createTestApp('sqlite', 'machine_state');
    zone = t.database.config.QMFG_TZ;
    t.events.subscribe((event) => topics.push(event.topic));
    const db = t.database.db;
    ingest = new MqttIngest({
      url: BROKER, topicPrefix: prefix, clientId: `${prefix}-server`, sessionExpirySeconds: 30, ingestor: ingestorFor(db, zone),
      notifier: new ProductionNotifier(db, zone, t.events, SILENT_LOG, 0), zone, log: SILENT_LOG,
    });
    await ingest.start();
    publisher = await mqtt.connectAsync(BROKER, { clientId: `${prefix}-camera`, protocolVersion: 5 });
  });
  afterAll(async () => {
    await publisher?.endAsync();
    await ingest?.close();
    await t?.close();
  });

  it('running while cycles come; a stop message makes it stopped at once; the next cycle makes it run again', async () => {
    expect(await state('line8')).toMatchObject({ state: 'no-data', lastCycleAt: null, thresholdSeconds: 60, reported: null });
    const now = Date.now();
    await publisher.publishAsync(`${prefix}/line8/cycles`, lines([now - 3000, now - 2000, now - 1000]), { qos: 1 });
    const running = await within(5000, () => state('line8'), (s) => s.state === 'running');
    expect(running).toMatchObject({ state: 'running', thresholdSeconds: 60 });
    expect(running.stopsAt - running.lastCycleAt).toBe(60_000);

    const sentAt = Date.now();
    await publisher.publishAsync(`${prefix}/line8/state`, stateMessage('stopped', sentAt, 'film jam'), { qos: 1 });
    const stopped = await within(3000, () => state('line8'), (s) => s.state === 'stopped');
    expect(stopped).toMatchObject({ state: 'stopped', stateSince: sentAt, reported: { state: 'stopped', at: sentAt, reason: 'film jam', source: `${prefix}/line8/state` } });
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(topics).toContain('machine-state');

    await publisher.publishAsync(`${prefix}/line8/cycles`, lines([Date.now() + 500]), { qos: 1 });
    expect((await within(5000, () => state('line8'), (s) => s.state === 'running')).state).toBe('running');
  });

  it('reads state messages as JSON or a bare word and refuses the rest in words', () => {
    expect(parseStateMessage(Buffer.from('stopped'), 5)).toEqual({ state: 'stopped', at: 5, reason: null });
    expect(parseStateMessage(Buffer.from('{"state":"running","at":"2022-10-11T21:02:11Z"}'), 5)).toEqual({ state: 'running', at: Date.UTC(2022, 9, 11, 21, 2, 11), reason: null });
    expect(parseStateMessage(Buffer.from('{"state":"paused"}'), 5)).toBe('state must be "running" or "stopped"');
    expect(parseStateMessage(Buffer.from('{"state":"stopped","at":"yesterday"}'), 5)).toMatch(/not an ISO instant/);
  });

  it('answers unknown machines with 400 naming the field', async () => {
    const res = await t.app.inject({ url: '/api/production/state?machine=nope' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('query.machine');
  });
});
