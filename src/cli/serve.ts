import { loadConfig } from '../config.js';
import { startServer } from '../server/runtime.js';
import { withConfigErrors } from './config-errors.js';

export async function serveCommand(opts: { port?: string; seed?: boolean }): Promise<void> {
  const running = await withConfigErrors(async () => {
    const config = loadConfig();
    return startServer({ config, port: opts.port ? Number(opts.port) : undefined, seed: opts.seed !== false });
  });
  console.log(`\n  qmfg is running on ${running.handle.describe}\n  → open ${running.url}\n  API docs: ${running.url}/api/docs\n`);
  const stop = async (signal: string) => {
    console.log(`qmfg: ${signal} received, stopping`);
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
