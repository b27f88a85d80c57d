// Test support: `qmfg serve` as a child process of its own (from source, through tsx), as systemd
// would run an instance: started on a free port with the given environment, ready once it prints
// that it is running; stopped with a signal like a real stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './throwaway-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  /** everything it printed so far (stdout and stderr) */
  output(): string;
  /** resolves when it exits: its code and when (ms epoch) */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGTERM (the default) and waits for the exit */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; at: number }>;
}

export async function startServeProcess(env: Record<string, string>, options: { port?: number; startTimeoutMs?: number } = {}): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  while (!output.includes('qmfg is running')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`qmfg serve did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
