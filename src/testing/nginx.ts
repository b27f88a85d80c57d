// Test support: Debian's nginx running the shipped site (deploy/nginx/qmfg.conf) in front of qmfg
// instances, as a non-daemon child with a temporary prefix: the site's TLS lines and its port-80
// redirect are taken out, it listens on a free loopback port, its upstream lists the given
// instances and its cache, logs and temp files live in the prefix. Everything else is the file as shipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './throwaway-server.js';

export const NGINX = '/usr/sbin/nginx';
export const SITE_CONFIG = fileURLToPath(new URL('../../deploy/nginx/qmfg.conf', import.meta.url));

/** The shipped site with a test's ports and paths (see the top of this file). */
export function siteForTest(site: string, options: { port: number; upstreams: readonly number[]; prefix: string }): string {
  let text = site;
  // the port-80 server: only a redirect to HTTPS
  const redirect = text.indexOf('# --- plain HTTP');
  if (redirect < 0) throw new Error('qmfg.conf: the port-80 redirect server is not marked "# --- plain HTTP"');
  text = text.slice(0, redirect);
  // TLS: plain HTTP on a loopback port instead
  if (!/listen 443 ssl http2;/.test(text)) throw new Error('qmfg.conf: no "listen 443 ssl http2;"');
  text = text.replace(/^\s*listen 443 ssl http2;\s*$/m, `    listen 127.0.0.1:${options.port};`).replace(/^\s*listen \[::\]:443 ssl http2;\s*$/m, '');
  text = text.replace(/^\s*ssl_\w+ .*;\s*$/gm, '');
  // the instances
  const servers = options.upstreams.map((port) => `    server 127.0.0.1:${port} max_fails=3 fail_timeout=10s;`).join('\n');
  if (!/^\s*server 127\.0\.0\.1:\d+ .*;$/m.test(text)) throw new Error('qmfg.conf: no upstream server lines');
  text = text.replace(/(^\s*server 127\.0\.0\.1:\d+ .*;\n)+/m, `${servers}\n`);
  // paths: the prefix's
  text = text.replace(/proxy_cache_path \S+/, `proxy_cache_path ${join(options.prefix, 'cache')}`);
  text = text.replace(/access_log \S+/, `access_log ${join(options.prefix, 'access.log')}`).replace(/error_log +\S+/, `error_log ${join(options.prefix, 'error.log')}`);
  return text;
}

export interface RunningNginx {
  url: string;
  port: number;
  prefix: string;
  /** the access log's lines so far */
  accessLog(): string[];
  stop(): Promise<void>;
}

function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) resolve(false);
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export async function startNginx(upstreams: readonly number[]): Promise<RunningNginx> {
  if (!existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx (npm test does when run as root)`);
  const prefix = mkdtempSync(join(tmpdir(), 'qmfg-nginx-'));
  for (const dir of ['cache', 'client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir));
  const port = await freePort();
  const site = siteForTest(readFileSync(SITE_CONFIG, 'utf8'), { port, upstreams, prefix });
  const asRoot = process.getuid?.() === 0;
  const conf = [
    'daemon off;',
    'worker_processes 2;',
    // as root the workers would switch to nobody, who cannot write the temporary prefix
    asRoot ? 'user root;' : '',
    `pid ${join(prefix, 'nginx.pid')};`,
    `error_log ${join(prefix, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  include /etc/nginx/mime.types;',
    '  default_type application/octet-stream;',
    `  client_body_temp_path ${join(prefix, 'client_body')};`,
    `  proxy_temp_path ${join(prefix, 'proxy')};`,
    `  fastcgi_temp_path ${join(prefix, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(prefix, 'uwsgi')};`,
    `  scgi_temp_path ${join(prefix, 'scgi')};`,
    site,
    '}',
  ].join('\n');
  const confFile = join(prefix, 'nginx.conf');
  writeFileSync(confFile, conf);
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', confFile, '-e', join(prefix, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (!(await waitForPort(port, 10_000))) {
    child.kill('SIGKILL');
    const log = existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : '';
    throw new Error(`nginx did not come up: ${output}\n${log}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    prefix,
    accessLog: () => (existsSync(join(prefix, 'access.log')) ? readFileSync(join(prefix, 'access.log'), 'utf8').split('\n').filter(Boolean) : []),
    async stop() {
      // SIGQUIT: graceful stop of nginx (SIGTERM is its fast stop)
      if (child.exitCode === null) child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
