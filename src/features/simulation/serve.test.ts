// The living demo as `qmfg serve` starts it (QMFG_DEMO_LIVE default on): the iTrak lines' demo lots
// start from nothing produced, the back-fill gives them their counts, and live ticks only add.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { startServer, type Running } from '../../server/runtime.js';
import { tempFolder } from '../../testing/machine-data.js';
import * as ordersRepo from '../orders/repository.js';
import * as inputRepo from '../operator-input/repository.js';
import * as derivedRepo from '../machine-data/derived-repository.js';
import { DEMO_ORDER_LOTS } from '../demo/orders.js';

const ITRAK = ['line6', 'line7', 'line8', 'line9', 'line10', 'line11'];

describe('the living demo in the running server', () => {
  const folder = tempFolder('serve-live');
  let running: Running;

  beforeAll(async () => {
    const config = loadConfig({
      DATABASE_URL: `sqlite:${join(folder.path, 'qmfg.db')}`, QMFG_DROP_DIR: join(folder.path, 'drop'), QMFG_DEMO: '1', QMFG_DEMO_DAYS: '1',
      // its own data folder: the audit key and checkpoints there belong to this database alone
      QMFG_DATA_DIR: join(folder.path, 'data'),
      QMFG_TZ: 'America/Los_Angeles', LOG_LEVEL: 'silent', PORT: '0', QMFG_WATCH: '0',
    } as NodeJS.ProcessEnv);
    expect(config.QMFG_DEMO_LIVE).toBe(true);
    running = await startServer({ config, port: 0, logger: false });
  }, 120_000);
  afterAll(async () => {
    await running?.close();
    folder.remove();
  });

  it('seeds the simulated lines at nothing produced, back-fills their lots, and the counts only rise', async () => {
    const db = running.handle.db;
    const lots = DEMO_ORDER_LOTS.map((o) => o.lot);
    const onItrak = async () => (await ordersRepo.listOperations(db, lots)).filter((op) => op.step === 0 && op.machine_key !== null && ITRAK.includes(op.machine_key));
    // before the back-fill: nothing seeded on the simulated lines (a seeded count would drop at the first cycle)
    if (running.simulation.current === null) expect((await onItrak()).every((op) => Number(op.produced) === 0)).toBe(true);
    expect((await fetch(`${running.url}/api/health`)).status).toBe(200);
    await running.demoData;
    const simulation = running.simulation.current;
    expect(simulation).not.toBeNull();
    const after = await onItrak();
    for (const machine of ITRAK) {
      const head = after.filter((op) => op.machine_key === machine).sort((a, b) => Number(a.position) - Number(b.position))[0];
      const [counted] = await derivedRepo.getLotCounts(db, machine, [head.lot]);
      // yesterday's working day was back-filled for the board's head lot
      expect(counted?.produced, machine).toBeGreaterThan(50_000);
      expect(Number(head.produced), machine).toBe(counted.produced);
    }
    // operators' reports of the back-filled shifts: reasons of long stops (breaks at break times), scrap, crew, submitted logs
    const from = Date.now() - 3 * 86_400_000;
    const segments = await inputRepo.segmentsOverlapping(db, ITRAK, from, Date.now());
    expect(segments.length).toBeGreaterThan(ITRAK.length * 5);
    expect([...new Set(segments.map((s) => s.category))]).toEqual(expect.arrayContaining(['plannedDowntime', 'breakdown']));
    expect(segments.some((s) => s.reasonId === 'break' && s.category === 'plannedDowntime')).toBe(true);
    expect(segments.every((s) => s.stopEnd - s.stopStart >= 60_000)).toBe(true);
    const scrap = await inputRepo.scrapBetween(db, ITRAK, from, Date.now());
    expect(scrap.length).toBeGreaterThanOrEqual(ITRAK.length);
    const logs = await inputRepo.shiftLogsBetween(db, ITRAK, from, Date.now());
    expect(logs.length).toBe(scrap.length);
    expect(logs.every((l) => l.state === 'submitted' && l.notes)).toBe(true);
    // live ticks (an hour of simulated time from now) never take a count down
    const before = new Map(after.map((op) => [op.lot, Number(op.produced)]));
    await simulation?.tick(Date.now() + 3_600_000);
    for (const op of await onItrak()) expect(Number(op.produced), op.lot).toBeGreaterThanOrEqual(before.get(op.lot) ?? 0);
  }, 120_000);
});
