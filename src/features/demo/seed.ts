// Seeds the demo plant into an empty database (and the site row + default calendar any plant needs).
import type { Db } from '../../db/database.js';
import type { Config } from '../../config.js';
import { appendAudit } from '../audit/repository.js';
import { SYSTEM } from '../audit/who.js';
import * as plantRepo from '../plant/repository.js';
import * as calendarRepo from '../calendar/repository.js';
import { DEMO_GROUPS, DEMO_MACHINES, DEMO_PRODUCTS, DEMO_WEEK } from './plant.js';
import { seedDemoOrders } from './orders.js';

export interface SeedResult {
  seeded: boolean;
  groups: number;
  machines: number;
  products: number;
}

/** Creates the site and default calendar when missing; with demo=true also the demo plant. Idempotent. */
export interface SeedOptions {
  /** also demo work orders on the board (off in API tests, which build their own queues) */
  orders?: boolean;
}

export async function seedDatabase(db: Db, config: Pick<Config, 'QMFG_SITE_NAME' | 'QMFG_TZ'>, demo: boolean, options: SeedOptions = {}): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    const none = { seeded: false, groups: 0, machines: 0, products: 0 };
    if (await plantRepo.getSite(trx)) return none;
    const now = Date.now();
    await plantRepo.insertSite(trx, { name: config.QMFG_SITE_NAME, timezone: config.QMFG_TZ, defaultRateMode: 'standard', observedWindowHours: 8 }, now);
    await calendarRepo.insertWeek(trx, calendarRepo.DEFAULT_WEEK, DEMO_WEEK, now);
    if (!demo) {
      await appendAudit(trx, { ...SYSTEM, entity: 'site', entityKey: 'site', action: 'create', after: { name: config.QMFG_SITE_NAME } });
      return { ...none, seeded: true };
    }
    for (const g of DEMO_GROUPS) await plantRepo.insertGroup(trx, g, now);
    for (const m of DEMO_MACHINES) await plantRepo.insertMachine(trx, m, now);
    for (const p of DEMO_PRODUCTS) await plantRepo.insertProduct(trx, p, now);
    if (options.orders) await seedDemoOrders(trx, config.QMFG_TZ, now);
    await appendAudit(trx, {
      ...SYSTEM,
      entity: 'site',
      entityKey: 'site',
      action: 'seed-demo',
      after: { groups: DEMO_GROUPS.length, machines: DEMO_MACHINES.length, products: DEMO_PRODUCTS.length },
    });
    return { seeded: true, groups: DEMO_GROUPS.length, machines: DEMO_MACHINES.length, products: DEMO_PRODUCTS.length };
  });
}
