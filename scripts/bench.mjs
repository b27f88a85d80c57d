#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.ts and prints each figure next to its target.
// Benchmarks are measurements, not tests: a figure over target is reported, the run still completes.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled, ensureBuilt } from './lib/prepare.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureInstalled(root);
ensureBuilt(root);
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let over = 0;
const rows = [];
for (const file of files) {
  // each bench in its own process so one does not warm the caches of the next
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/lib/run-bench.ts'), join(root, 'bench', file)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) {
    console.log(`${file}: FAILED (exit ${res.status})`);
    over++;
    continue;
  }
  const figures = JSON.parse(res.stdout.trim().split('\n').pop());
  for (const f of figures) {
    const ok = f.value < f.target;
    if (!ok) over++;
    const row = `${ok ? 'ok  ' : 'OVER'}  ${f.name.padEnd(64)} ${f.value.toFixed(f.value < 10 ? 3 : 1).padStart(10)} ${f.unit.padEnd(4)} target < ${f.target} ${f.unit}`;
    rows.push(row);
    console.log(row);
  }
}
console.log(`\n${rows.length} figures, ${over} over target`);
