// Steps shared by `npm start`, `npm test` and `npm run bench`: install what is missing, build what is stale.
// Only Node built-ins here: this runs before node_modules exists.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    console.error(`qmfg: "${cmd} ${args.join(' ')}" failed (exit ${res.status ?? res.signal})`);
    process.exit(res.status || 1);
  }
  return res;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

/**
 * What a start is doing before the server runs, one line per step, so that a first start (minutes of
 * installing) is never silent. `step`: install | build. (Migrating and seeding are said by `qmfg serve`.)
 */
export function progressMessage(step) {
  switch (step) {
    case 'install':
      return 'qmfg: installing dependencies (npm ci) — the first start takes a few minutes; npm reports its progress below…';
    case 'build':
      return 'qmfg: building the server and the web app…';
    default:
      throw new Error(`unknown start step '${step}'`);
  }
}

/**
 * npm's own output goes straight through: install scripts in the foreground (compiling a native
 * module shows as it happens) and, without a terminal for npm's progress bar (a CI log), one line
 * per download.
 */
export function npmCiArgs(interactive) {
  return ['ci', '--no-audit', '--no-fund', '--foreground-scripts', ...(interactive ? [] : ['--loglevel=http'])];
}

/** npm ci when node_modules is missing or older than the lock file. */
export function ensureInstalled(root) {
  const marker = join(root, 'node_modules/.package-lock.json');
  if (mtime(marker) >= mtime(join(root, 'package-lock.json'))) return;
  console.log(progressMessage('install'));
  run('npm', npmCiArgs(Boolean(process.stdout.isTTY)), { cwd: root });
}

function newestIn(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(p) : mtime(p));
  }
  return newest;
}

/** Rebuilds the server bundle and the web app when a source file is newer than the build. */
export function ensureBuilt(root) {
  const sources = Math.max(newestIn(join(root, 'src')), newestIn(join(root, 'web')), mtime(join(root, 'package-lock.json')));
  const built = Math.min(mtime(join(root, 'dist/cli.js')), mtime(join(root, 'dist/web/index.html')));
  if (built >= sources) return;
  console.log(progressMessage('build'));
  run(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root });
}
