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

  it('an SMTP URL that is not one, and mail without a sender', () => {
    const bad = qmfg(['migrate'], { DATABASE_URL: 'sqlite::memory:', QMFG_SMTP_URL: 'mail.example.com' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('qmfg: QMFG_SMTP_URL: must be empty (no mail) or an SMTP URL like smtp://user:pass@mail.example.com:587 (got "mail.example.com")');
    const noSender = qmfg(['migrate'], { DATABASE_URL: 'sqlite::memory:', QMFG_SMTP_URL: 'smtp://127.0.0.1:2525', QMFG_MAIL_FROM: '' });
    expect(noSender.status).toBe(1);
    expect(noSender.stderr).toMatch(/^qmfg: QMFG_MAIL_FROM: is required when QMFG_SMTP_URL is set/);
  });

  it('a good database migrates', () => {
    const res = qmfg(['migrate'], { DATABASE_URL: 'sqlite::memory:' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/applied 20261125_01_foundation/);
  });
});
