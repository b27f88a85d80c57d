// The only place with SQL for control limits (spc_limits): versions are inserted, never updated.
import type { Executor } from '../../db/database.js';
import type { SpcLimitsTable } from '../../db/tables/spc.js';
import type { Selectable } from 'kysely';

export interface StoredLimits {
  channelId: number;
  version: number;
  subgroupMinutes: number;
  rules: 'western-electric' | 'nelson' | 'none';
  centre: number;
  sigmaOfMeans: number;
  sigmaWithin: number | null;
  degreesOfFreedom: number;
  ewmaSd: number;
  lambda: number;
  width: number;
  subgroups: number;
  baselineFrom: number;
  baselineTo: number;
  createdBy: string;
  createdAt: number;
  reason: string;
}

const toLimits = (r: Selectable<SpcLimitsTable>): StoredLimits => ({
  channelId: Number(r.channel_id), version: Number(r.version), subgroupMinutes: Number(r.subgroup_minutes), rules: r.rules as StoredLimits['rules'],
  centre: Number(r.centre), sigmaOfMeans: Number(r.sigma_of_means), sigmaWithin: r.sigma_within === null ? null : Number(r.sigma_within),
  degreesOfFreedom: Number(r.degrees_of_freedom), ewmaSd: Number(r.ewma_sd), lambda: Number(r.lambda), width: Number(r.width), subgroups: Number(r.subgroups),
  baselineFrom: Number(r.baseline_from), baselineTo: Number(r.baseline_to), createdBy: r.created_by, createdAt: Number(r.created_at), reason: r.reason,
});

export async function latestLimits(db: Executor, channelId: number): Promise<StoredLimits | null> {
  const row = await db.selectFrom('spc_limits').selectAll().where('channel_id', '=', channelId).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? toLimits(row) : null;
}

export async function listLimits(db: Executor, channelId: number): Promise<StoredLimits[]> {
  const rows = await db.selectFrom('spc_limits').selectAll().where('channel_id', '=', channelId).orderBy('version', 'desc').execute();
  return rows.map(toLimits);
}

export async function insertLimits(db: Executor, limits: StoredLimits): Promise<void> {
  await db
    .insertInto('spc_limits')
    .values({
      channel_id: limits.channelId, version: limits.version, subgroup_minutes: limits.subgroupMinutes, rules: limits.rules, centre: limits.centre,
      sigma_of_means: limits.sigmaOfMeans, sigma_within: limits.sigmaWithin, degrees_of_freedom: limits.degreesOfFreedom, ewma_sd: limits.ewmaSd,
      lambda: limits.lambda, width: limits.width, subgroups: limits.subgroups, baseline_from: limits.baselineFrom, baseline_to: limits.baselineTo,
      created_by: limits.createdBy, created_at: limits.createdAt, reason: limits.reason,
    })
    .execute();
}
