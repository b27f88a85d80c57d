// Measurement channels (issue 14): one day of a 1 Hz film-thickness channel (86 400 readings, an
// .lvm written to a temp dir from a seeded series with wander and spikes).
// (a) ingest through ingestMeasurements (the one door: ledger, prefix checksum, LvmParser, samples
//     and per-minute statistics in 20 000-sample transactions) into a fresh SQLite database;
// (b) `qmfg monitor` on that file as a user feels it: the built CLI in a fresh process, next to
//     `node -e ''` measured in the same rounds (Node's own start-up, the floor of any command);
// (c) monitorSamples alone on the same readings, in-process.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { monitorSamples } from '../src/core/spc/monitor.js';
import { seedDatabase } from '../src/features/demo/seed.js';
import { fileSource } from '../src/features/machine-data/sources.js';
import { createChannel, ingestMeasurements } from '../src/features/measurements/service.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { filmSeries, lvmText } from '../src/testing/measurement-files.js';
import { alternate, sample, timeIt, type Figure } from './lib.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const ZONE = 'America/Los_Angeles';
const DAY_SAMPLES = 86_400;
const RUNS = 5;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the server bundle when it is missing or older than the sources (a stale bundle may lack monitor). */
function ensureCliBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--server-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error(`building dist/cli.js failed (exit ${build.status})`);
}

async function ingestOnce(file: string): Promise<number> {
  const t = await createTestDatabase('sqlite', 'meas_bench');
  try {
    await seedDatabase(t.db, t.config, true);
    const who = { actor: 'bench', source: 'bench' };
    await createChannel(t.db, who, 'line7', { key: 'film-thickness', name: 'Film thickness', quantity: 'thickness', unit: 'mm', target: 0.125, lsl: 0.121, usl: 0.129, samplePeriodSeconds: 1, source: { kind: 'upload' } });
    const { ms, result } = await timeIt(() =>
      ingestMeasurements({ db: t.db, zone: ZONE }, [{ machine: 'line7', source: fileSource(file), final: true, origin: 'file' }], { who, action: 'import' }),
    );
    if (result[0].stored !== DAY_SAMPLES) throw new Error(`ingest stored ${result[0].stored} samples, expected ${DAY_SAMPLES} (${JSON.stringify(result[0].errors.slice(0, 3))})`);
    return ms;
  } finally {
    await t.destroy();
  }
}

export default async function run(): Promise<Figure[]> {
  const folder = mkdtempSync(join(tmpdir(), 'qmfg-bench-meas-'));
  try {
    const start = DateTime.fromISO('2026-10-05T00:00', { zone: ZONE }).toMillis();
    const readings = filmSeries({ seed: 14, start, count: DAY_SAMPLES });
    const file = join(folder, 'film-20261005.lvm');
    writeFileSync(file, lvmText({ channels: [{ name: 'Film thickness', samples: readings }], zone: ZONE }));

    // (a) ingest: warm once (module loading, page cache), then the median of fresh databases
    await ingestOnce(file);
    const ingest: number[] = [];
    for (let i = 0; i < RUNS; i++) ingest.push(await ingestOnce(file));
    ingest.sort((a, b) => a - b);

    // (b) the CLI, wall time of the child process, beside node's bare start-up
    ensureCliBuilt();
    const monitor = () => {
      const child = spawnSync(process.execPath, [CLI, 'monitor', file, '--channel', 'Film thickness', '--lsl', '0.121', '--usl', '0.129', '--tz', ZONE, '--json'], { cwd: ROOT, encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`qmfg monitor failed (exit ${child.status}): ${child.stderr}`);
      if ((JSON.parse(child.stdout) as { samples: number }).samples !== DAY_SAMPLES) throw new Error('qmfg monitor did not count every reading');
    };
    const bare = () => {
      const child = spawnSync(process.execPath, ['-e', ''], { cwd: ROOT });
      if (child.status !== 0) throw new Error('node -e failed');
    };
    const [cli, node] = await alternate([monitor, bare], RUNS, 1);

    // (c) the method alone
    const method = await sample(() => monitorSamples(readings, { lsl: 0.121, usl: 0.129 }), 10, 2);
    const { result } = await timeIt(() => monitorSamples(readings, { lsl: 0.121, usl: 0.129 }));
    if (result.samples !== DAY_SAMPLES) throw new Error('monitorSamples lost readings');

    process.stderr.write(`measurements: node -e '' start-up ${node.median.toFixed(0)} ms (median of ${RUNS}); qmfg monitor ${cli.median.toFixed(0)} ms; ingest runs ${ingest.map((ms) => ms.toFixed(0)).join(', ')} ms\n`);
    return [
      { name: 'measurements: ingest 1 day of a 1 Hz channel (86 400, .lvm) on SQLite (median of 5)', value: ingest[Math.floor(RUNS / 2)], unit: 'ms', target: 500 },
      { name: `measurements: qmfg monitor 1 day of 1 Hz (process wall time; node -e '' ${node.median.toFixed(0)} ms)`, value: cli.median, unit: 'ms', target: 500 },
      { name: "measurements: node -e '' start-up, same rounds (baseline)", value: node.median, unit: 'ms', target: 500 },
      { name: 'measurements: monitorSamples on 86 400 readings (in-process, median)', value: method.median, unit: 'ms', target: 250 },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
