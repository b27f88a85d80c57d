// Runs the migrations with Kysely's Migrator. Migrations are listed here statically so that the
// bundled CLI carries them (no folder scan at run time).
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as foundation from './migrations/20261125_01_foundation.js';
import * as workOrders from './migrations/20261125_02_work_orders.js';
import * as machineData from './migrations/20261125_03_machine_data.js';
import * as auth from './migrations/20261125_04_auth.js';
import * as ingestUndoAndReportedState from './migrations/20261202_07_ingest_undo_and_reported_state.js';
import * as ingestDuplicatesAndAudit from './migrations/20261202_10_ingest_duplicates_and_audit.js';
import * as forecasts from './migrations/20261202_22_forecasts.js';
import * as alerts from './migrations/20261202_23_alerts.js';
import * as tvDevices from './migrations/20261202_24_tv_devices.js';
import * as operatorReports from './migrations/20261203_25_operator_reports.js';
import * as changeovers from './migrations/20261203_26_changeovers.js';
import * as planScenarios from './migrations/20261203_27_plan_scenarios.js';
import * as planBaselines from './migrations/20261203_28_plan_baselines.js';
import * as pinnedOperations from './migrations/20261203_29_pinned_operations.js';
import * as releaseReview from './migrations/20261204_33_release_review.js';
import * as alertChart from './migrations/20261204_35_alert_chart.js';
import * as jobLeases from './migrations/20261204_36_job_leases.js';
import * as spcLimits from './migrations/20261204_37_spc_limits.js';
import * as genealogy from './migrations/20261204_31_genealogy.js';
import * as auditHmac from './migrations/20261204_30_audit_hmac.js';
import * as measurements from './migrations/20261204_34_measurements.js';

const migrations: Record<string, Migration> = {
  '20261125_01_foundation': foundation,
  '20261125_02_work_orders': workOrders,
  '20261125_03_machine_data': machineData,
  '20261125_04_auth': auth,
  '20261202_07_ingest_undo_and_reported_state': ingestUndoAndReportedState,
  '20261202_10_ingest_duplicates_and_audit': ingestDuplicatesAndAudit,
  '20261202_22_forecasts': forecasts,
  '20261202_23_alerts': alerts,
  '20261202_24_tv_devices': tvDevices,
  '20261203_25_operator_reports': operatorReports,
  '20261203_26_changeovers': changeovers,
  '20261203_27_plan_scenarios': planScenarios,
  '20261203_28_plan_baselines': planBaselines,
  '20261203_29_pinned_operations': pinnedOperations,
  '20261204_33_release_review': releaseReview,
  '20261204_35_alert_chart': alertChart,
  '20261204_36_job_leases': jobLeases,
  '20261204_37_spc_limits': spcLimits,
  '20261204_31_genealogy': genealogy,
  '20261204_30_audit_hmac': auditHmac,
  '20261204_34_measurements': measurements,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Migrates up to and including `name` (tests of an upgrade: a trail written before a later migration). */
export async function migrateUpTo(db: Db, name: string): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${(error as Error).message ?? String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Migrations this code knows that the database has not run yet (readiness: an instance ahead of its database is not ready). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const known = await new Migrator({ db, provider }).getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
