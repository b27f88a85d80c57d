// Sign-in through POST /api/auth/login at the production password cost (scrypt N = 2^QMFG_PASSWORD_COST,
// default 2^16 = 64 MiB): the hash is deliberately slow against guessing, and must stay quick enough
// for people. Measured end to end (route, password check, new session, audit entry) on SQLite.
import { createAuthTestApp, createTestUser } from '../src/testing/auth.js';
import { loadConfig } from '../src/config.js';
import { sample, type Figure } from './lib.js';

export default async function loginBench(): Promise<Figure[]> {
  const cost = loadConfig({} as NodeJS.ProcessEnv).QMFG_PASSWORD_COST;
  const t = await createAuthTestApp('sqlite', 'bench-login', { QMFG_PASSWORD_COST: String(cost) });
  try {
    const user = await createTestUser(t.database.db, 'operator', { cost });
    const login = async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
      if (res.statusCode !== 200) throw new Error(`login answered ${res.statusCode}: ${res.body}`);
    };
    const wrong = async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `nobody-${Math.random()}`, password: 'a wrong password' } });
      if (res.statusCode !== 401) throw new Error(`unknown user answered ${res.statusCode}`);
    };
    const ok = await sample(login, 15, 2);
    const unknown = await sample(wrong, 15, 2);
    return [
      { name: `login (POST /api/auth/login, scrypt 2^${cost}) median`, value: ok.median, unit: 'ms', target: 300 },
      { name: `login p95`, value: ok.p95, unit: 'ms', target: 300 },
      // an unknown user must cost the same as a wrong password (no user-name probing by timing)
      { name: `login of an unknown user, median (same work as a real check)`, value: unknown.median, unit: 'ms', target: 300 },
    ];
  } finally {
    await t.close();
  }
}
