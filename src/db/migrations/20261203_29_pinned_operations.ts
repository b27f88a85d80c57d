// A planner's pin on a queued or running operation: the optimiser keeps its machine and its order
// among the frozen ones (issue 15 item 2). Frozen once landed.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').dropColumn('pinned').execute();
}
