#!/usr/bin/env node
// `npm test`: installs what is missing, starts the services the tests need, type-checks, builds the
// web app for the browser tests, runs every suite (unit, integration on three databases, browser)
// and ends with the line "N passed, N failed[, N skipped]". Exit code 1 when anything failed.
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt, ensureInstalled } from './lib/prepare.mjs';
import { ensureChromium, ensureServices } from './lib/services.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
ensureInstalled(root);
ensureChromium();
await ensureServices();

let passed = 0;
let failed = 0;
let skipped = 0;

console.log('qmfg test: type-checking (tsc --noEmit)…');
const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { stdio: 'inherit' });
if (tsc.status === 0) passed++;
else {
  failed++;
  console.log('qmfg test: type-check FAILED');
}

ensureBuilt(root);

const resultsFile = join(root, 'test-results/vitest.json');
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR } },
);
if (existsSync(resultsFile)) {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // a file that fails to load has no test results but must count as a failure
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.every((a) => a.status !== 'failed')) {
      failed++;
      console.log(`qmfg test: ${file.name} failed to run: ${(file.message || '').split('\n')[0]}`);
    }
  }
} else {
  failed++;
  console.log(`qmfg test: vitest produced no report (exit ${vitest.status})`);
}
if (vitest.status !== 0 && failed === 0) failed++;

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
