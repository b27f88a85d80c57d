import { loadConfig } from '../config.js';
import { startServer } from '../server/runtime.js';
import { withConfigErrors } from './config-errors.js';
import { seedUsers } from '../features/demo/seed.js';
import { withStartLock } from '../db/start-lock.js';
import { ROLE_LABELS } from '../core/permissions.js';
import type { InitialLogin } from '../features/auth/users.js';

/** A stop (SIGTERM, SIGINT) that has not finished by then ends the process anyway (issue 17: within 10 s). */
export const STOP_DEADLINE_MS = 9_000;

/** The accounts created at this start, printed once: their passwords are stored only as hashes. */
function printLogins(logins: InitialLogin[], url: string): void {
  if (logins.length === 0) return;
  const width = Math.max(...logins.map((l) => l.username.length));
  console.log('  Demo sign-in accounts (shown this once — the passwords are stored only as hashes):');
  for (const l of logins) console.log(`    ${l.username.padEnd(width)}  ${l.password}   ${ROLE_LABELS[l.role]}`);
  console.log(`  Change these passwords before real use (sign in at ${url}, user menu → Change password),`);
  console.log('  or start with QMFG_DEMO=0 for no demo accounts.\n');
}

export async function serveCommand(opts: { port?: string; seed?: boolean }): Promise<void> {
  const running = await withConfigErrors(async () => {
    const config = loadConfig();
    const progress = (message: string) => console.log(`qmfg: ${message}`);
    const started = await startServer({ config, port: opts.port ? Number(opts.port) : undefined, seed: opts.seed !== false, progress });
    // a database without users gets its first accounts (demo users, or QMFG_ADMIN_USERNAME); under
    // the start lock: instances started together would both create them (and the demo's finished lot)
    const logins = await withStartLock(started.handle.db, started.handle.dialect, () => seedUsers(started.handle.db, config, opts.seed !== false && config.QMFG_DEMO));
    return { ...started, logins };
  });
  console.log(`\n  qmfg is running on ${running.handle.describe}\n  → open ${running.url}\n  API docs: ${running.url}/api/docs\n`);
  printLogins(running.logins, running.url);
  const stop = async (signal: string) => {
    console.log(`qmfg: ${signal} received, stopping (requests in flight finish, new ones go to another instance)`);
    // systemd's TimeoutStopSec and nginx expect an instance gone within seconds: what has not finished
    // by then is cut (an ingest batch is one transaction: it is stored whole or not at all)
    const hardStop = setTimeout(() => {
      console.error(`qmfg: still stopping after ${STOP_DEADLINE_MS / 1000} s; exiting now`);
      process.exit(1);
    }, STOP_DEADLINE_MS);
    hardStop.unref();
    try {
      await running.close();
    } catch (error) {
      console.error(`qmfg: stopping failed: ${(error as Error).message ?? String(error)}`);
      process.exit(1);
    }
    console.log('qmfg: stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
