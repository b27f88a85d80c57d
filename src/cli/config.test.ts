import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function qmfg(args: string[], env: Record<string, string>) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    timeout: 30_000,
  });
  return { status: res.status, stderr: res.stderr.trim(), stdout: res.stdout.trim() };
}

describe('bad settings stop the CLI with one line naming the setting', () => {
  it.each([
    ['unknown scheme', 'oracle://db/x', /^qmfg: DATABASE_URL: must start with sqlite:, postgres:\/\/, mysql:\/\/ or mariadb:\/\//],
    ['unreachable PostgreSQL', 'postgres://root@127.0.0.1:1/qmfg', /^qmfg: DATABASE_URL: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/qmfg: .*ECONNREFUSED/],
    ['unreachable MySQL', 'mysql://root@127.0.0.1:1/qmfg', /^qmfg: DATABASE_URL: cannot connect to MySQL\/MariaDB at 127\.0\.0\.1:1\/qmfg: .*ECONNREFUSED/],
    ['SQLite file in an unwritable place', 'sqlite:/etc/hostname/x.db', /^qmfg: DATABASE_URL: cannot open SQLite database \/etc\/hostname\/x\.db: /],
  ])('%s', (_label, url, message) => {
    const res = qmfg(['migrate'], { DATABASE_URL: url });
    expect(res.status).toBe(1);
    expect(res.stderr.split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(message);
  });

  it('a bad time zone', () => {
    const res = qmfg(['migrate'], { DATABASE_URL: 'sqlite::memory:', QMFG_TZ: 'Mars/Olympus' });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('qmfg: QMFG_TZ: is not an IANA time zone (e.g. America/Los_Angeles) (got "Mars/Olympus")');
  });

  it('a locale Intl does not know', () => {
    const res = qmfg(['migrate'], { DATABASE_URL: 'sqlite::memory:', QMFG_LOCALE: 'xx-YY' });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('qmfg: QMFG_LOCALE: is not a locale tag (e.g. en-US, de-DE, fr-FR) (got "xx-YY")');
  });

  it('a good database migrates', () => {
    const res = qmfg(['migrate'], { DATABASE_URL: 'sqlite::memory:' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/applied 20261125_01_foundation/);
  });
});
