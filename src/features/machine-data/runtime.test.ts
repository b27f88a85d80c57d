// The server as `qmfg serve` starts it: demo sensor data ingested in the background after listening,
// the drop folder and MQTT feeding the same database, retention of raw cycles.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { startServer, type Running } from '../../server/runtime.js';
import { DEMO_SENSOR_MACHINES } from '../demo/plant.js';
import { machinesOee } from '../oee/service.js';
import * as repo from './repository.js';
import * as derivedRepo from './derived-repository.js';
import { deleteExpiredRawData } from './retention.js';
import { LINE8_DAYS, tempFolder, within } from '../../testing/machine-data.js';

const floorMinute = (instant: number) => Math.floor(instant / 60_000) * 60_000;


describe('machine data in the running server', () => {
  const folder = tempFolder('serve');
  const prefix = `qmfg-serve-${randomBytes(4).toString('hex')}`;
  let running: Running;
  let listeningMs = 0;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(folder.path, 'qmfg.db')}`, QMFG_DROP_DIR: join(folder.path, 'drop'), QMFG_DEMO: '1', QMFG_DEMO_DAYS: '1',
      // its own data folder: the audit key and checkpoints there belong to this database alone
      QMFG_DATA_DIR: join(folder.path, 'data'),
      // the still demo: generated days on the sensor machines, lines 6 and 11 free of cycles (the living one: simulation/serve.test.ts)
      QMFG_DEMO_LIVE: '0',
      QMFG_MQTT_URL: process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883', QMFG_MQTT_TOPIC_PREFIX: prefix, QMFG_MQTT_CLIENT_ID: `${prefix}-server`,
      QMFG_TZ: 'America/Los_Angeles', LOG_LEVEL: 'silent', PORT: '0',
    } as NodeJS.ProcessEnv);
    const started = Date.now();
    running = await startServer({ config, port: 0, logger: false });
    listeningMs = Date.now() - started;
  });
  afterAll(async () => {
    await running?.close();
    folder.remove();
  });

  it('listens before the demo sensor data is in, then has a day of it for every demo sensor machine', async () => {
    expect(running.demoData).not.toBeNull();
    expect(listeningMs).toBeLessThan(15_000);
    const health = await fetch(`${running.url}/api/health`);
    expect(health.status).toBe(200);
    await running.demoData;
    for (const machine of DEMO_SENSOR_MACHINES) expect(await repo.countCycles(running.handle.db, machine)).toBeGreaterThan(30_000);
    const oee = await machinesOee(running.handle.db, 'America/Los_Angeles', { machines: DEMO_SENSOR_MACHINES, groupBy: 'day', from: floorMinute(Date.now() - 3 * 86_400_000), to: floorMinute(Date.now()) });
    expect(oee.machines.map((m) => m.totals.cycles > 30_000)).toEqual(DEMO_SENSOR_MACHINES.map(() => true));
    expect(oee.machines[0].totals.oee).toBeGreaterThan(0.3);
    expect(oee.machines[0].series.length).toBeGreaterThanOrEqual(3);
  });

  it('takes files from the drop folder and lines from MQTT', async () => {
    const db = running.handle.db;
    mkdirSync(join(folder.path, 'drop', 'line6'), { recursive: true });
    const lines = readFileSync(LINE8_DAYS[1], 'latin1').split('\n').slice(0, 300);
    writeFileSync(join(folder.path, 'drop', 'line6', 'PR20221011.txt'), `${lines.slice(0, 200).join('\n')}\n`);
    expect(await within(5000, () => repo.countCycles(db, 'line6'), (n) => n >= 200)).toBe(200);
    const client = await mqtt.connectAsync(process.env.QMFG_TEST_MQTT ?? 'mqtt://127.0.0.1:1883', { clientId: `${prefix}-cam` });
    await within(5000, async () => running.machineData.mqtt !== null, Boolean);
    // the subscription is made in the background: publish until the first line lands
    await within(5000, async () => {
      await client.publishAsync(`${prefix}/line11/cycles`, lines[250], { qos: 1 });
      return repo.countCycles(db, 'line11');
    }, (n) => n > 0);
    await client.publishAsync(`${prefix}/line11/cycles`, lines.slice(251, 300).join('\n'), { qos: 1 });
    expect(await within(5000, () => repo.countCycles(db, 'line11'), (n) => n >= 50)).toBe(50);
    await client.endAsync();
  });

  it('retention deletes raw cycles older than the limit and keeps the derived data', async () => {
    const db = running.handle.db;
    const line7 = await repo.countCycles(db, 'line7');
    const hoursBefore = await derivedRepo.hourRows(db, 'line7', 0, Date.now() + 86_400_000);
    // as of the end of 2022 nothing is 400 days old yet
    const nothing = await deleteExpiredRawData(db, 400, Date.UTC(2022, 11, 31));
    expect(nothing.cyclesDeleted).toBe(0);
    // today the 2022 sample lines (line6, line11) are; the demo's yesterday is not
    const result = await deleteExpiredRawData(db, 400, Date.now());
    expect(result.cyclesDeleted).toBe(250);
    expect(await repo.countCycles(db, 'line6')).toBe(0);
    expect(await repo.countCycles(db, 'line7')).toBe(line7);
    expect(await derivedRepo.hourRows(db, 'line7', 0, Date.now() + 86_400_000)).toEqual(hoursBefore);
    expect((await derivedRepo.hourRows(db, 'line6', 0, Date.now())).reduce((sum, h) => sum + h.cycles, 0)).toBe(200);
  });
});
