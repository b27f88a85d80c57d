// The first accounts of a database: one demo user per role (QMFG_DEMO=1), none with QMFG_DEMO=0,
// or the administrator named in the configuration.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { listAudit } from '../audit/repository.js';
import { seedUsers } from '../demo/seed.js';
import { passwordProblems, verifyPassword } from './passwords.js';
import { ROLES } from '../../core/permissions.js';
import * as repo from './repository.js';
import { TEST_AUTH_ENV } from '../../testing/auth.js';

describe('initial users', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('creates one demo user per role with a generated password, once', async () => {
    database = await createTestDatabase('sqlite', 'demo-users', TEST_AUTH_ENV);
    const logins = await seedUsers(database.db, database.config, true);
    expect(logins.map((l) => l.role)).toEqual([...ROLES]);
    expect(logins.map((l) => l.username)).toEqual([...ROLES]);
    expect(new Set(logins.map((l) => l.password)).size).toBe(ROLES.length);
    for (const login of logins) {
      expect(passwordProblems(login.password, { minLength: database.config.QMFG_PASSWORD_MIN_LENGTH, username: login.username })).toEqual([]);
      const user = await repo.getUserByUsername(database.db, login.username);
      expect(user).toMatchObject({ role: login.role, active: 1, must_change_password: 0 });
      expect(await verifyPassword(login.password, user!.password_hash!)).toBe(true);
    }
    expect((await listAudit(database.db, { entity: 'user', actor: 'system' })).length).toBe(ROLES.length);
    // a second start creates nothing and prints nothing
    expect(await seedUsers(database.db, database.config, true)).toEqual([]);
    expect(await repo.countUsers(database.db)).toBe(ROLES.length);
  });

  it('gives the demo operator two iTrak lines (machines), the others none', async () => {
    database = await createTestDatabase('sqlite', 'demo-lines', TEST_AUTH_ENV);
    await seedUsers(database.db, database.config, true);
    expect(JSON.parse((await repo.getUserByUsername(database.db, 'operator'))!.lines)).toEqual(['line7', 'line8']);
    expect(JSON.parse((await repo.getUserByUsername(database.db, 'lead'))!.lines)).toEqual([]);
  });

  it('creates no users with QMFG_DEMO=0', async () => {
    database = await createTestDatabase('sqlite', 'no-demo-users', { ...TEST_AUTH_ENV, QMFG_DEMO: '0' });
    expect(await seedUsers(database.db, database.config, database.config.QMFG_DEMO)).toEqual([]);
    expect(await repo.countUsers(database.db)).toBe(0);
  });

  it('creates the configured administrator, who must change the password, and never echoes it', async () => {
    database = await createTestDatabase('sqlite', 'admin-user', { ...TEST_AUTH_ENV, QMFG_DEMO: '0', QMFG_ADMIN_USERNAME: 'It.Admin', QMFG_ADMIN_PASSWORD: 'a long first admin pass' });
    expect(await seedUsers(database.db, database.config, false)).toEqual([]);
    const admin = await repo.getUserByUsername(database.db, 'it.admin');
    expect(admin).toMatchObject({ role: 'admin', must_change_password: 1 });
    expect(await verifyPassword('a long first admin pass', admin!.password_hash!)).toBe(true);
  });

  it('refuses a configured administrator password that breaks the rules', async () => {
    database = await createTestDatabase('sqlite', 'weak-admin', { ...TEST_AUTH_ENV, QMFG_DEMO: '0', QMFG_ADMIN_USERNAME: 'root', QMFG_ADMIN_PASSWORD: 'short' });
    await expect(seedUsers(database.db, database.config, false)).rejects.toThrow(/QMFG_ADMIN_PASSWORD: use at least 12 characters/);
  });
});
