import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Moderation: reports (from members and from the services' webhooks), cases with their
// log, hearings, decisions (warning, suspension, exclusion, urgent suspension), appeals
// to the general assembly; and the secret that verifies a service's incoming webhooks.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('services').addColumn('inbound_secret_enc', 'text').execute();

  await db.schema
    .createTable('moderation_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id')) // the member the case is about
    .addColumn('status', 'text', (c) => c.notNull()) // open | hearing | decided | closed
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('assigned_to', 'text') // user id of the handling moderator
    .addColumn('opened_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema
    .createIndex('moderation_cases_member')
    .on('moderation_cases')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('moderation_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull()) // member | mastodon | webhook
    .addColumn('service_id', 'text', (c) => c.references('services.id'))
    // Idempotency for webhooks: the service's own id of the report (a replay is refused).
    .addColumn('external_id', 'text')
    .addColumn('reporter_member_id', 'text', (c) => c.references('members.id'))
    .addColumn('reporter_user_id', 'text')
    .addColumn('reported_member_id', 'text', (c) => c.references('members.id'))
    .addColumn('reported_handle', 'text') // as the service named the account
    .addColumn('content_url', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('aup_clause', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // new | in_case | dismissed
    .addColumn('case_id', 'text', (c) => c.references('moderation_cases.id'))
    .addColumn('triaged_by', 'text')
    .addColumn('triaged_at', 'text')
    .addColumn('dismiss_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('moderation_reports_external', ['source', 'service_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('moderation_reports_status')
    .on('moderation_reports')
    .column('status')
    .execute();

  await db.schema
    .createTable('moderation_case_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('moderation_cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('moderation_case_events_case')
    .on('moderation_case_events')
    .column('case_id')
    .execute();

  await db.schema
    .createTable('moderation_hearings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('moderation_cases.id'))
    .addColumn('accusation', 'text', (c) => c.notNull()) // what the member is told
    .addColumn('aup_clause', 'text')
    .addColumn('deadline_on', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text')
    .addColumn('answer', 'text')
    .addColumn('answered_at', 'text')
    .execute();
  await db.schema
    .createIndex('moderation_hearings_case')
    .on('moderation_hearings')
    .column('case_id')
    .execute();

  await db.schema
    .createTable('moderation_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('moderation_cases.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('kind', 'text', (c) => c.notNull()) // no_action | warning | suspension | exclusion
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('clause', 'text', (c) => c.notNull()) // the AUP or statute clause cited
    .addColumn('starts_on', 'text')
    .addColumn('ends_on', 'text') // suspension: the last day; lifted automatically after it
    .addColumn('confirm_by', 'text') // urgent: confirmed or lifted by this instant
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_by', 'text')
    // active | lifted (expired, lifted by decision, or an appeal upheld) | superseded
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'text')
    .addColumn('lift_reason', 'text')
    .addColumn('appeal_deadline_on', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('moderation_decisions_member')
    .on('moderation_decisions')
    .column('member_id')
    .execute();
  await db.schema
    .createIndex('moderation_decisions_state_end')
    .on('moderation_decisions')
    .columns(['state', 'ends_on'])
    .execute();

  await db.schema
    .createTable('moderation_appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) =>
      c.notNull().unique().references('moderation_decisions.id'),
    )
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('proposal_id', 'text') // the proposal on the GA's agenda, once one is scheduled
    .addColumn('meeting_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // pending_meeting | on_agenda | upheld | rejected | withdrawn
    .addColumn('decided_at', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('moderation_appeals').execute();
  await db.schema.dropTable('moderation_decisions').execute();
  await db.schema.dropTable('moderation_hearings').execute();
  await db.schema.dropTable('moderation_case_events').execute();
  await db.schema.dropTable('moderation_reports').execute();
  await db.schema.dropTable('moderation_cases').execute();
  await db.schema.alterTable('services').dropColumn('inbound_secret_enc').execute();
}
