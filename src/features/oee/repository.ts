// The only place with SQL for OEE profiles (user-defined; the built-ins live in src/core/oee) and for
// the reasons given for stops (stop_reasons). The derived tables OEE reads are machine data's
// (machine-data/derived-repository.ts).
import type { Executor } from '../../db/database.js';
import type { OeeProfile } from '../../core/oee/profiles.js';

export interface StoredProfile {
  profile: OeeProfile;
  updatedAt: number;
}

export interface StoredProfileVersion {
  profile: OeeProfile;
  createdAt: number;
  actor: string;
}

const parse = (json: string): OeeProfile => JSON.parse(json) as OeeProfile;

export async function listProfiles(db: Executor): Promise<StoredProfile[]> {
  const rows = await db.selectFrom('oee_profiles').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ profile: parse(r.json), updatedAt: Number(r.updated_at) }));
}

export async function getProfile(db: Executor, name: string): Promise<StoredProfile | undefined> {
  const row = await db.selectFrom('oee_profiles').selectAll().where('name', '=', name).executeTakeFirst();
  return row && { profile: parse(row.json), updatedAt: Number(row.updated_at) };
}

export async function getProfileVersion(db: Executor, name: string, version: number): Promise<StoredProfileVersion | undefined> {
  const row = await db.selectFrom('oee_profile_versions').selectAll().where('name', '=', name).where('version', '=', version).executeTakeFirst();
  return row && { profile: parse(row.json), createdAt: Number(row.created_at), actor: row.actor };
}

export async function profileHistory(db: Executor, name: string): Promise<StoredProfileVersion[]> {
  const rows = await db.selectFrom('oee_profile_versions').selectAll().where('name', '=', name).orderBy('version', 'desc').execute();
  return rows.map((r) => ({ profile: parse(r.json), createdAt: Number(r.created_at), actor: r.actor }));
}

export async function insertProfile(db: Executor, profile: OeeProfile, actor: string, now: number): Promise<void> {
  const json = JSON.stringify(profile);
  await db.insertInto('oee_profiles').values({ name: profile.name, version: profile.version, json, updated_at: now }).execute();
  await db.insertInto('oee_profile_versions').values({ name: profile.name, version: profile.version, json, created_at: now, actor }).execute();
}

/** Stores the next version when the current one is still `expectedVersion`; false = somebody else changed it. */
export async function updateProfile(db: Executor, profile: OeeProfile, expectedVersion: number, actor: string, now: number): Promise<boolean> {
  const json = JSON.stringify(profile);
  const result = await db
    .updateTable('oee_profiles')
    .set({ version: profile.version, json, updated_at: now })
    .where('name', '=', profile.name)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db.insertInto('oee_profile_versions').values({ name: profile.name, version: profile.version, json, created_at: now, actor }).execute();
  return true;
}

export async function machinesUsingProfile(db: Executor, name: string): Promise<string[]> {
  const rows = await db.selectFrom('machines').select(['key']).where('oee_profile', '=', name).orderBy('key').execute();
  return rows.map((r) => r.key);
}

// ---- stop reasons ----------------------------------------------------------------------------------------

export interface StopReasonRow {
  start: number;
  reason: string | null;
  comment: string | null;
  updatedAt: number;
  updatedBy: string;
}

export async function stopReasons(db: Executor, machine: string, starts: readonly number[]): Promise<Map<number, StopReasonRow>> {
  const found = new Map<number, StopReasonRow>();
  for (let i = 0; i < starts.length; i += 500) {
    const rows = await db
      .selectFrom('stop_reasons')
      .selectAll()
      .where('machine_key', '=', machine)
      .where('start_at', 'in', starts.slice(i, i + 500))
      .execute();
    for (const r of rows) found.set(Number(r.start_at), { start: Number(r.start_at), reason: r.reason, comment: r.comment, updatedAt: Number(r.updated_at), updatedBy: r.updated_by });
  }
  return found;
}

export async function putStopReason(db: Executor, machine: string, start: number, reason: string | null, comment: string | null, actor: string, now: number): Promise<void> {
  const updated = await db
    .updateTable('stop_reasons')
    .set({ reason, comment, updated_at: now, updated_by: actor })
    .where('machine_key', '=', machine)
    .where('start_at', '=', start)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('stop_reasons').values({ machine_key: machine, start_at: start, reason, comment, updated_at: now, updated_by: actor }).execute();
  }
}
