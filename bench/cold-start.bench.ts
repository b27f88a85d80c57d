// Cold start to healthy: spawn the built server (`node dist/cli.js serve`) and poll /api/health.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './lib.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function startToHealthy(dbFile: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'dist/cli.js'), 'serve', '--port', String(port)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `sqlite:${dbFile}`, LOG_LEVEL: 'warn', QMFG_DROP_DIR: join(dbFile, '..', 'drop') },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (performance.now() - started > 30_000) throw new Error('server did not become healthy within 30 s');
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export default async function (): Promise<Figure[]> {
  if (!existsSync(join(root, 'dist/cli.js'))) spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  const folder = mkdtempSync(join(tmpdir(), 'qmfg-bench-'));
  const dbFile = join(folder, 'qmfg.db');
  try {
    const first = await startToHealthy(dbFile, 3901);
    const again = [];
    for (let i = 0; i < 3; i++) again.push(await startToHealthy(dbFile, 3902 + i));
    again.sort((a, b) => a - b);
    return [
      { name: 'start: cold start to healthy, new database (migrate + seed demo)', value: first, unit: 'ms', target: 3000 },
      { name: 'start: cold start to healthy, existing database (median of 3)', value: again[1], unit: 'ms', target: 3000 },
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
