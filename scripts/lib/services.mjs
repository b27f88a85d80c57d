// Makes sure the services the tests talk to are up: PostgreSQL, MariaDB, Mosquitto, Redis (started with the
// machine's own commands when down) and Debian's Chromium (installed with apt-get when missing, as root).
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import net from 'node:net';

const SERVICES = [
  {
    name: 'PostgreSQL',
    port: 5432,
    start: () => {
      const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
      return versions.length ? ['pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start']] : null;
    },
  },
  { name: 'MariaDB', port: 3306, start: () => ['start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd']] },
  { name: 'Mosquitto', port: 1883, start: () => ['mosquitto', ['-d', '-c', '/etc/mosquitto/mosquitto.conf']] },
  // live events between instances on MariaDB (src/server/event-transports/redis.ts)
  { name: 'Redis', port: 6379, start: () => (existsSync('/usr/bin/redis-server') ? ['redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1 ::1']] : null) },
];

export function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await portOpen(port)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export async function ensureServices() {
  for (const service of SERVICES) {
    if (await portOpen(service.port)) continue;
    const command = service.start();
    if (!command) {
      console.warn(`qmfg test: ${service.name} is down and no start command is known`);
      continue;
    }
    console.log(`qmfg test: starting ${service.name} (${command[0]} ${command[1].join(' ')})`);
    spawnSync(command[0], command[1], { stdio: 'inherit' });
    if (!(await waitForPort(service.port, 30))) console.warn(`qmfg test: ${service.name} did not come up on port ${service.port}`);
  }
}

/** Debian packages the browser tests use, by a file each installs: Chromium, poppler-utils (pdftoppm/pdftotext: the lot-record PDF journey) and nginx. */
const BROWSER_TEST_PACKAGES = [
  { file: '/usr/bin/chromium', name: 'chromium' },
  { file: '/usr/bin/pdftoppm', name: 'poppler-utils' },
  // the nginx test (e2e/nginx.test.ts) runs the shipped site config in front of two instances
  { file: '/usr/sbin/nginx', name: 'nginx' },
];

export function ensureChromium() {
  const missing = BROWSER_TEST_PACKAGES.filter((p) => !existsSync(p.file)).map((p) => p.name);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.warn(`qmfg test: missing Debian package(s) ${missing.join(', ')}; install them (browser tests will fail)`);
    return;
  }
  console.log(`qmfg test: installing Debian ${missing.join(', ')} (apt-get)…`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
