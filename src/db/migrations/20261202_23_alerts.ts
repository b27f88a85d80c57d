// Alerts (issue 12 item 4): rules per machine or process group, users' subscriptions, the alerts
// raised (open until the condition clears), and the mail outbox the worker sends from. Rows of the
// outbox are written in the same transaction as the alert they announce. Frozen once landed.
import type { Kysely } from 'kysely';
import { migrationDialect, withSerialId } from './helpers.js';

export async function up(db: Kysely<any>): Promise<void> {
  const dialect = migrationDialect(db);
  await withSerialId(db.schema.createTable('alert_rules'), dialect)
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('scope', 'varchar(10)', (c) => c.notNull())
    .addColumn('scope_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('minutes', 'double precision', (c) => c.notNull())
    .addColumn('percent', 'double precision')
    .addColumn('clear_minutes', 'double precision', (c) => c.notNull())
    .addColumn('cap_per_hour', 'integer', (c) => c.notNull())
    .addColumn('role', 'varchar(20)')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await withSerialId(db.schema.createTable('alert_subscriptions'), dialect)
    .addColumn('username', 'varchar(120)', (c) => c.notNull())
    .addColumn('scope', 'varchar(10)', (c) => c.notNull())
    .addColumn('scope_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('alert_subscriptions_one', ['username', 'scope', 'scope_key'])
    .execute();
  await withSerialId(db.schema.createTable('alerts'), dialect)
    .addColumn('rule_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('subject', 'varchar(120)', (c) => c.notNull())
    .addColumn('machine_key', 'varchar(64)')
    .addColumn('state', 'varchar(10)', (c) => c.notNull())
    .addColumn('condition_since', 'bigint', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('clear_since', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('message', 'varchar(500)', (c) => c.notNull())
    .addColumn('mailed', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_by', 'varchar(120)')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('ack_comment', 'varchar(1000)')
    .execute();
  await db.schema.createIndex('alerts_rule_subject').on('alerts').columns(['rule_id', 'subject', 'state']).execute();
  await db.schema.createIndex('alerts_raised').on('alerts').columns(['raised_at']).execute();
  await withSerialId(db.schema.createTable('alert_outbox'), dialect)
    .addColumn('alert_id', 'bigint', (c) => c.notNull())
    .addColumn('event', 'varchar(10)', (c) => c.notNull())
    .addColumn('recipient', 'varchar(254)', (c) => c.notNull())
    .addColumn('message_id', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('subject', 'varchar(300)', (c) => c.notNull())
    .addColumn('body', 'varchar(4000)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(64)')
    .addColumn('claimed_until', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'varchar(500)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alert_outbox_due').on('alert_outbox').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['alert_outbox', 'alerts', 'alert_subscriptions', 'alert_rules']) await db.schema.dropTable(table).execute();
}
