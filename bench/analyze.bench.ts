// `qmfg analyze` on three real line-days, timed as a user feels it: the built CLI in a fresh
// process, node start-up included. Plus the OEE engine alone on the same cycles, in-process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeOee } from '../src/core/oee/oee.js';
import { BUILTIN_PROFILES } from '../src/core/oee/profiles.js';
import { type Cycle } from '../src/core/sensor/index.js';
import { parseSensorFile } from '../src/testing/parse-file.js';
import { sample, timeIt, type Figure } from './lib.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SENSORS = fileURLToPath(new URL('../../shared/data/sensors', import.meta.url));
const FILES = ['PR20221011.txt', 'PR20221012.txt', 'PR20221013.txt'].map((name) => join(SENSORS, 'Line8', name));
const CLI = join(ROOT, 'dist/cli.js');
const RUNS = 5;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the server bundle when it is missing or older than the sources (a stale bundle may lack analyze). */
function ensureCliBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--server-only'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error(`building dist/cli.js failed (exit ${build.status})`);
}

function runAnalyze(): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [CLI, 'analyze', ...FILES, '--machine', 'line8', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, QMFG_TZ: 'America/Los_Angeles' },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`qmfg analyze failed (exit ${run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout) as { cycles: number };
  if (report.cycles < 200_000) throw new Error(`qmfg analyze counted only ${report.cycles} cycles`);
  return ms;
}

export default async function analyzeBench(): Promise<Figure[]> {
  ensureCliBuilt();
  runAnalyze(); // warm the page cache: the figure is about our code, not the disk
  const wallTimes = Array.from({ length: RUNS }, runAnalyze).sort((a, b) => a - b);

  const cycles: Cycle[] = [];
  for (const file of FILES) for (const cycle of (await parseSensorFile(file, 'America/Los_Angeles')).cycles) cycles.push(cycle);
  let from = Infinity;
  let to = -Infinity;
  for (const cycle of cycles) {
    from = Math.min(from, cycle.at);
    to = Math.max(to, cycle.at + 1);
  }
  const profile = BUILTIN_PROFILES['itrak-legacy'];
  const engine = await sample(() => computeOee({ machine: 'line8', cycles, from, to, profile }), 20, 3);
  // keep the optimiser honest: the result must be used
  const { result } = await timeIt(() => computeOee({ machine: 'line8', cycles, from, to, profile }));
  if (result.cycles !== cycles.length) throw new Error('computeOee lost cycles');

  return [
    { name: 'oee: qmfg analyze 3 real line-days (process wall time)', value: wallTimes[Math.floor(RUNS / 2)], unit: 'ms', target: 300 },
    { name: 'oee: computeOee on 3 real line-days (in-process, median)', value: engine.median, unit: 'ms', target: 50 },
  ];
}
