// The only place with SQL for OEE profiles (user-defined; the built-ins live in src/core/oee). The
// derived tables OEE reads are machine data's (machine-data/derived-repository.ts), the reasons of
// stops and scrap are the operators' (operator-input/repository.ts).
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
