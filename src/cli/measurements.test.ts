// `qmfg measurements import` end to end through the real CLI entry in a child process, on a fresh
// SQLite file: an LVM and a CSV with a mapping, a re-run storing nothing, bad options exit 1 with one line.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDatabase } from '../features/demo/seed.js';
import { createChannel, samplesInWindow } from '../features/measurements/service.js';
import * as channelRepo from '../features/measurements/channel-repository.js';
import { tempFolder } from '../testing/machine-data.js';
import { runQmfg } from '../testing/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const qmfg = (args: string[], env: Record<string, string>) => runQmfg(args, env);

describe('qmfg measurements import', () => {
  const folder = tempFolder('meas-cli');
  const url = `sqlite:${join(folder.path, 'qmfg.db')}`;
  const env = { DATABASE_URL: url, QMFG_TZ: 'America/Los_Angeles', QMFG_DEMO: '1', QMFG_DATA_DIR: folder.path };
  const who = { actor: 'test', source: 'test' };
  beforeAll(async () => {
    const handle = await openDatabase(url);
    await migrateToLatest(handle.db);
    await seedDatabase(handle.db, loadConfig({ ...env } as NodeJS.ProcessEnv), true);
    const base = { quantity: 'thickness', unit: 'mm' as const, target: null, lsl: null, usl: null, samplePeriodSeconds: 1, source: { kind: 'upload' as const } };
    await createChannel(handle.db, who, 'line7', { ...base, key: 'thickness', name: 'Thickness' });
    await createChannel(handle.db, who, 'line7', { ...base, key: 'seal-temp', name: 'Seal temperature', unit: '°C' });
    await handle.close();
  });
  afterAll(() => folder.remove());

  const stored = async (key: string) => {
    const handle = await openDatabase(url);
    try {
      const channel = await channelRepo.getChannel(handle.db, 'line7', key);
      return (await samplesInWindow(handle.db, channel!.id, 0, 8.64e15)).length;
    } finally {
      await handle.close();
    }
  };

  it('imports an LVM and a mapped CSV, and a re-run stores nothing', { timeout: 60_000 }, async () => {
    const lvm = join(folder.path, 'run.lvm');
    copyFileSync(join(ROOT, 'src/core/measurements/fixtures/relative-two-channels.lvm'), lvm);
    const csv = join(folder.path, 'temps.csv');
    writeFileSync(csv, 'Zeit;Temp\n03.12.2026 07:00:00;181,5\n03.12.2026 07:00:01;oops\n');
    const mapping = join(folder.path, 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ decimal: ',', timestamp: { column: 'Zeit', format: 'dd.MM.yyyy HH:mm:ss' }, columns: [{ column: 'Temp', channel: 'seal-temp' }] }));
    const lvmRun = await qmfg(['measurements', 'import', lvm, '--machine', 'line7'], env);
    expect(lvmRun.code, lvmRun.stderr).toBe(0);
    expect(lvmRun.stdout).toContain('run.lvm: 6 samples');
    const csvRun = await qmfg(['measurements', 'import', csv, '--machine', 'line7', '--mapping', mapping], env);
    expect(csvRun.code, csvRun.stderr).toBe(0);
    expect(csvRun.stdout).toContain('temps.csv: 1 samples, 1 bad line skipped');
    expect(csvRun.stderr).toContain(`temps.csv:3: value 'oops' of channel 'seal-temp' is not a number`);
    expect(await stored('thickness')).toBe(3);
    expect(await stored('seal-temp')).toBe(4);
    const again = await qmfg(['measurements', 'import', lvm, '--machine', 'line7', '--json'], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).files[0]).toMatchObject({ stored: 0, alreadyImported: true });
    expect(await stored('thickness')).toBe(3);
  });

  it('exits 1 with one clear line on bad options', { timeout: 60_000 }, async () => {
    const cases: [string[], RegExp][] = [
      [['measurements', 'import', 'x.lvm', '--machine', 'nope'], /^qmfg: (not found: x\.lvm|unknown machine "nope")/],
      [['measurements', 'import', join(ROOT, 'src/core/measurements/fixtures/multi-x.lvm'), '--machine', 'nope'], /^qmfg: unknown machine "nope"/],
      [['measurements', 'import', join(ROOT, 'src/core/measurements/fixtures/multi-x.lvm'), '--machine', 'line7', '--channel', 'zz'], /^qmfg: --channel: "zz" is not a channel of line7/],
      [['measurements', 'import', join(ROOT, 'src/core/measurements/fixtures/multi-x.lvm'), '--machine', 'line7', '--mapping', join(ROOT, 'package.json')], /^qmfg: --mapping: .*package\.json: /],
    ];
    for (const [args, message] of cases) {
      const run = await qmfg(args, env);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(message);
    }
  });
});
