// The living demo over the real Mosquitto broker at 127.0.0.1:1883 (npm test starts it): the
// simulator publishes, the server's subscriber stores; pause/resume from the CLI over the broker.
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askSimulator } from '../../cli/simulate-control.js';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { within } from '../../testing/machine-data.js';
import { EventHub } from '../../server/events.js';
import { seedDatabase } from '../demo/seed.js';
import { seedDemoOrders } from '../demo/orders.js';
import { ingestorFor } from '../machine-data/ingest.js';
import { MqttIngest } from '../machine-data/mqtt.js';
import { ProductionNotifier, SILENT_LOG, type Log } from '../machine-data/notifier.js';
import * as machineRepo from '../machine-data/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import * as ledgerRepo from '../machine-data/ledger-repository.js';
import * as ordersRepo from '../orders/repository.js';
import { Simulation } from './runner.js';
import { mqttSink, type SimulationSink } from './sinks.js';

const BROKER = process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883';
const TOTAL = 10_000;

describe('simulation over MQTT with the real broker', () => {
  let t: TestDatabase;
  let ingest: MqttIngest;
  let simulation: Simulation;
  let zone: string;
  let fakeNow = 0;
  const prefix = `qmfg-sim-${randomBytes(4).toString('hex')}`;
  const problems: string[] = [];
  const warnings: string[] = [];
  // a connection reset while the subscriber is taken down on purpose is the restart itself, not a problem
  const log: Log = {
    ...SILENT_LOG,
    warn: (message) => warnings.push(message),
    error: (message) => (/ECONNRESET/.test(message) ? warnings.push(message) : problems.push(message)),
  };
  const subscriber = () =>
    new MqttIngest({
      url: BROKER, topicPrefix: prefix, clientId: `${prefix}-server`, sessionExpirySeconds: 60, ingestor: ingestorFor(t.db, zone),
      notifier: new ProductionNotifier(t.db, zone, new EventHub(), log, 0), zone, log,
    });

  beforeAll(async () => {
    t = await createTestDatabase('sqlite', 'sim-mqtt');
    zone = t.config.QMFG_TZ;
    await seedDatabase(t.db, t.config, true);
    fakeNow = DateTime.now().setZone(zone).startOf('day').set({ hour: 7 }).toMillis();
    await t.db.transaction().execute((trx) => seedDemoOrders(trx, zone, fakeNow, { simulated: ['line6'] }));
    ingest = subscriber();
    await ingest.start();
    simulation = new Simulation({ db: t.db, zone, seed: 3, machines: ['line6'], sink: await mqttSink({ url: BROKER, topicPrefix: prefix, log }), log, clock: () => fakeNow });
    await simulation.listenForControl();
  });
  afterAll(async () => {
    await simulation?.close();
    await ingest?.close();
    await t?.destroy();
  });

  it(`stores every one of ${TOTAL} published cycles exactly once across a restart of the subscriber, and the board counts them`, async () => {
    const sent = () => simulation.status()[0].cycles;
    let restarted = false;
    while (sent() < TOTAL) {
      fakeNow += 20_000;
      await simulation.tick();
      if (!restarted && sent() >= TOTAL / 2) {
        // the server goes down half-way; the broker keeps its persistent session's messages
        await ingest.close();
        restarted = true;
        for (let i = 0; i < 5; i++) {
          fakeNow += 20_000;
          await simulation.tick();
        }
        ingest = subscriber();
        await ingest.start();
      }
    }
    const total = sent();
    expect(total).toBeGreaterThanOrEqual(TOTAL);
    expect(await within(20_000, () => machineRepo.countCycles(t.db, 'line6'), (n) => n >= total)).toBe(total);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await machineRepo.countCycles(t.db, 'line6')).toBe(total);
    const stored = await machineRepo.cyclesInArrivalOrder(t.db, 'line6');
    expect(new Set(stored.map((c) => `${c.at}:${c.serial}`)).size).toBe(total);
    // the board: the head lot's operation counts what machine data counted of the lot
    const [lot] = await derivedRepo.getLotCounts(t.db, 'line6', ['160101']);
    const operation = (await ordersRepo.listOperations(t.db, ['160101'])).find((op) => op.step === 0);
    expect(lot.produced).toBeGreaterThan(TOTAL * 0.9);
    expect(Number(operation?.produced)).toBe(lot.produced);
    expect(operation?.state).toBe('running');
    expect(problems).toEqual([]);
  }, 60_000);

  it('malformed payloads are logged with topic and reason and the subscriber goes on; an unknown machine is reported once', async () => {
    const camera = await mqtt.connectAsync(BROKER, { protocolVersion: 5 });
    try {
      const before = await machineRepo.countCycles(t.db, 'line7');
      await camera.publishAsync(`${prefix}/line7/cycles`, Buffer.from([0xff, 0xfe, 0x00, 0x01]), { qos: 1 });
      await camera.publishAsync(`${prefix}/line7/cycles`, 'not,a,camera,line\n', { qos: 1 });
      await camera.publishAsync(`${prefix}/line7/state`, '{"state":"sideways"}', { qos: 1 });
      await camera.publishAsync(`${prefix}/nope/cycles`, '1169100,160101,1,1,12/02/26 07:00:00.000\n', { qos: 1 });
      await camera.publishAsync(`${prefix}/nope/cycles`, '1169100,160101,2,1,12/02/26 07:00:00.500\n', { qos: 1 });
      await camera.publishAsync(`${prefix}/line7/cycles`, '1169100,160113,1,1,12/02/26 07:00:00.000\n', { qos: 1 });
      expect(await within(5000, () => machineRepo.countCycles(t.db, 'line7'), (n) => n > before)).toBe(before + 1);
      const about = (topic: string) => warnings.filter((w) => w.includes(`${prefix}/${topic}`));
      expect(about('line7/cycles').length).toBeGreaterThanOrEqual(2);
      for (const warning of about('line7/cycles')) expect(warning).toMatch(/line \d+: \S/);
      expect(about('line7/state')).toEqual([expect.stringContaining('dropped')]);
      expect(about('nope/cycles')).toHaveLength(1);
      expect(about('nope/cycles')[0]).toContain("no machine 'nope'");
      // counted: the MQTT stream's ledger entry has the bad lines
      const [stream] = await ledgerRepo.listLedger(t.db, { machine: 'line7', limit: 1 });
      expect(stream).toMatchObject({ source: 'mqtt', cycles: 1 });
      expect(stream.errors).toBeGreaterThanOrEqual(2);
    } finally {
      await camera.endAsync();
    }
  });

  it('`qmfg simulate pause|resume <machine>` asks the simulator over the broker', async () => {
    const paused = await askSimulator({ url: BROKER, topicPrefix: prefix, machine: 'line6', action: 'pause', timeoutMs: 5000 });
    expect(paused).toMatchObject({ machine: 'line6', paused: true, lot: '160101' });
    const count = await machineRepo.countCycles(t.db, 'line6');
    fakeNow += 60_000;
    expect((await simulation.tick()).machines[0].cycles).toBe(0);
    expect(await within(5000, async () => (await machineRepo.reportedStates(t.db, ['line6'])).get('line6')?.state, (s) => s === 'stopped')).toBe('stopped');
    const resumed = await askSimulator({ url: BROKER, topicPrefix: prefix, machine: 'line6', action: 'resume', timeoutMs: 5000 });
    expect(resumed.paused).toBe(false);
    fakeNow += 60_000;
    expect((await simulation.tick()).machines[0].cycles).toBeGreaterThan(0);
    expect(await within(5000, () => machineRepo.countCycles(t.db, 'line6'), (n) => n > count)).toBeGreaterThan(count);
    // a machine no simulator runs: one line naming what to check
    await expect(askSimulator({ url: BROKER, topicPrefix: prefix, machine: 'line9', action: 'pause', timeoutMs: 500 })).rejects.toThrow(/no simulator answered for machine 'line9'.*--timeout/);
    await expect(askSimulator({ url: 'mqtt://127.0.0.1:1', topicPrefix: prefix, machine: 'line6', action: 'pause', timeoutMs: 1000 })).rejects.toThrow(/QMFG_MQTT_URL/);
  });
});
