// The only place with SQL for measurement_channels.
import type { Selectable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { MeasurementChannelTable } from '../../db/tables/measurements.js';
import type { Channel, ChannelCreate, ChannelUpdate } from './schemas.js';

const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function toChannel(r: Selectable<MeasurementChannelTable>): Channel {
  return {
    id: Number(r.id), machine: r.machine_key, key: r.key, name: r.name, quantity: r.quantity, unit: r.unit,
    target: numOrNull(r.target), lsl: numOrNull(r.lsl), usl: numOrNull(r.usl), samplePeriodSeconds: Number(r.sample_period_seconds),
    source: JSON.parse(r.source_json) as Channel['source'], version: Number(r.version), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

export async function listChannels(db: Executor, machine: string): Promise<Channel[]> {
  const rows = await db.selectFrom('measurement_channels').selectAll().where('machine_key', '=', machine).orderBy('key').execute();
  return rows.map(toChannel);
}

export async function getChannel(db: Executor, machine: string, key: string): Promise<Channel | undefined> {
  const row = await db.selectFrom('measurement_channels').selectAll().where('machine_key', '=', machine).where('key', '=', key).executeTakeFirst();
  return row && toChannel(row);
}

export async function getChannelById(db: Executor, id: number): Promise<Channel | undefined> {
  const row = await db.selectFrom('measurement_channels').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toChannel(row);
}

export async function insertChannel(db: Executor, machine: string, input: ChannelCreate, now: number): Promise<Channel> {
  await db
    .insertInto('measurement_channels')
    .values({
      machine_key: machine, key: input.key, name: input.name, quantity: input.quantity, unit: input.unit, target: input.target, lsl: input.lsl, usl: input.usl,
      sample_period_seconds: input.samplePeriodSeconds, source_json: JSON.stringify(input.source), version: 1, created_at: now, updated_at: now,
    })
    .execute();
  return (await getChannel(db, machine, input.key))!;
}

/** Compare-and-set on the version: false when someone else changed it first. */
export async function updateChannel(db: Executor, machine: string, key: string, input: ChannelUpdate, now: number): Promise<boolean> {
  const result = await db
    .updateTable('measurement_channels')
    .set({
      name: input.name, quantity: input.quantity, unit: input.unit, target: input.target, lsl: input.lsl, usl: input.usl, sample_period_seconds: input.samplePeriodSeconds,
      source_json: JSON.stringify(input.source), version: input.version + 1, updated_at: now,
    })
    .where('machine_key', '=', machine)
    .where('key', '=', key)
    .where('version', '=', input.version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteChannel(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('measurement_channels').where('id', '=', id).execute();
}

export async function machineHasChannels(db: Executor, machine: string): Promise<boolean> {
  return (await db.selectFrom('measurement_channels').select('id').where('machine_key', '=', machine).limit(1).executeTakeFirst()) !== undefined;
}
