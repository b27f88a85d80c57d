// An alert mail may carry a picture of its evidence (the control chart whose rule was broken,
// issue 14 item 3): the SVG is kept on the outbox row so a resend after a crash sends the same mail.
// Frozen once landed.
import { sql, type Kysely } from 'kysely';
import { migrationDialect } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  // MySQL's TEXT stops at 64 KiB; a chart with a few hundred points is larger
  const type = migrationDialect(db) === 'mysql' ? 'mediumtext' : 'text';
  await db.schema.alterTable('alert_outbox').addColumn('chart_svg', sql.raw(type)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alert_outbox').dropColumn('chart_svg').execute();
}
