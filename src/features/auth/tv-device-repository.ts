// SQL of TV device tokens (the only writer of tv_devices).
import type { Executor } from '../../db/database.js';
import type { TvDeviceTable } from '../../db/tables/tv.js';

export type TvDeviceRow = Omit<TvDeviceTable, 'id'> & { id: number };

export async function insertTvDevice(db: Executor, row: Omit<TvDeviceRow, 'id' | 'revoked_by' | 'revoked_at' | 'last_seen_at'>): Promise<TvDeviceRow> {
  await db.insertInto('tv_devices').values({ ...row, revoked_by: null, revoked_at: null, last_seen_at: null }).execute();
  return (await db.selectFrom('tv_devices').selectAll().where('token_hash', '=', row.token_hash).executeTakeFirstOrThrow()) as TvDeviceRow;
}

export async function listTvDevices(db: Executor): Promise<TvDeviceRow[]> {
  return (await db.selectFrom('tv_devices').selectAll().orderBy('id').execute()) as TvDeviceRow[];
}

export async function getTvDevice(db: Executor, id: number): Promise<TvDeviceRow | undefined> {
  return (await db.selectFrom('tv_devices').selectAll().where('id', '=', id).executeTakeFirst()) as TvDeviceRow | undefined;
}

export async function tvDeviceByHash(db: Executor, tokenHash: string): Promise<TvDeviceRow | undefined> {
  return (await db.selectFrom('tv_devices').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst()) as TvDeviceRow | undefined;
}

/** Revokes a device still active; false when it was revoked already. */
export async function revokeTvDevice(db: Executor, id: number, by: string, at: number): Promise<boolean> {
  const result = await db.updateTable('tv_devices').set({ revoked_by: by, revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function touchTvDevice(db: Executor, id: number, at: number): Promise<void> {
  await db.updateTable('tv_devices').set({ last_seen_at: at }).where('id', '=', id).execute();
}
