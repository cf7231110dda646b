import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Governance: the rules of meetings (settings), meetings of every kind with their agenda,
// members' proposals, and attendance. Votes, ballots, the voter register, elections and
// minutes come in a later migration and hang off these keys (meetings.id, agenda_items.id,
// proposals.id, meeting_attendance.id). A document version can name the meeting that
// adopted it.

export async function up(db: Kysely<any>): Promise<void> {
  // One row ('main'): every rule of meetings is a setting. Absent row: the defaults.
  await db.schema
    .createTable('governance_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('notice_days', 'integer', (c) => c.notNull()) // GA notice, default 14
    .addColumn('founding_notice_days', 'integer', (c) => c.notNull()) // open call, default 14
    .addColumn('proposal_deadline_days', 'integer', (c) => c.notNull()) // default 7
    .addColumn('publication_days', 'integer', (c) => c.notNull()) // default 4
    .addColumn('qualifying_days', 'integer', (c) => c.notNull()) // voting right, default 30
    .addColumn('secret_ballot_threshold', 'integer', (c) => c.notNull()) // default 2
    .addColumn('statute_majority_numerator', 'integer', (c) => c.notNull()) // 3
    .addColumn('statute_majority_denominator', 'integer', (c) => c.notNull()) // 4
    .addColumn('statute_majority_base', 'text', (c) => c.notNull()) // present | cast
    .addColumn('simple_majority_base', 'text', (c) => c.notNull()) // cast | present
    .addColumn('proxies_enabled', 'integer', (c) => c.notNull())
    .addColumn('proxy_cap', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull()) // founding | ordinary | extraordinary | board
    .addColumn('title', 'text') // null: named by kind and year
    .addColumn('starts_at', 'text', (c) => c.notNull()) // UTC instant
    .addColumn('meeting_date', 'text', (c) => c.notNull()) // the date in the association's zone
    .addColumn('format', 'text', (c) => c.notNull()) // physical | online | hybrid
    .addColumn('place', 'text')
    .addColumn('url', 'text')
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // scheduled | in_progress | closed | cancelled
    // The rules in force when the notice went out, frozen for this meeting.
    .addColumn('notice_days', 'integer', (c) => c.notNull())
    .addColumn('proposal_deadline_on', 'text') // last day for proposals (null: none taken)
    .addColumn('publication_on', 'text') // proposals and documents out to members by then
    .addColumn('qualifying_on', 'text') // a voter must have been a member since this date
    .addColumn('notice_sent_at', 'text')
    // Set by the daily job that tells members the proposals and documents are out.
    .addColumn('publication_sent_at', 'text')
    .addColumn('chair_member_id', 'text', (c) => c.references('members.id'))
    .addColumn('secretary_member_id', 'text', (c) => c.references('members.id'))
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    // The schedule form's one-time key: a double submit finds the meeting it made.
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meetings_starts_at').on('meetings').column('starts_at').execute();

  await db.schema
    .createTable('agenda_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('position', 'integer', (c) => c.notNull()) // 1, 2, 3 … in order
    // chair_secretary | approve_notice_register | board_report | accounts | budget_fee |
    // proposals | statute_changes | elections | any_other_business | founding_decision |
    // statutes_adoption | custom
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text') // custom items; mandatory ones are named by kind
    .addColumn('description', 'text')
    .addColumn('mandatory', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema
    .createIndex('agenda_items_meeting')
    .on('agenda_items')
    .columns(['meeting_id', 'position'])
    .execute();

  await db.schema
    .createTable('proposals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('agenda_item_id', 'text', (c) => c.references('agenda_items.id'))
    .addColumn('number', 'integer', (c) => c.notNull()) // 1, 2 … per meeting
    .addColumn('kind', 'text', (c) => c.notNull()) // general | statutes | aup
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull()) // the proposal and its reasons
    // An amendment: the full new text, written against one version of the document.
    .addColumn('base_document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('amendment_locale', 'text') // nb | en
    .addColumn('amendment_text', 'text')
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('submitted_by', 'text') // user id (the member, or the board for a late one)
    .addColumn('status', 'text', (c) => c.notNull()) // submitted | withdrawn (votes add outcomes)
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    // A proposal after the deadline exists only by a board decision, recorded here.
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('late_decided_by', 'text')
    .addColumn('late_decided_label', 'text')
    .addColumn('late_reason', 'text')
    .addColumn('recommendation', 'text') // adopt | reject | none
    .addColumn('recommendation_text', 'text')
    .addColumn('recommended_by', 'text')
    .addColumn('recommended_at', 'text')
    .addColumn('outcome', 'text') // set by the vote: adopted | rejected | tabled
    .addColumn('resulting_document_id', 'text', (c) => c.references('documents.id'))
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('proposals_meeting_number', ['meeting_id', 'number'])
    .execute();
  await db.schema.createIndex('proposals_member').on('proposals').column('member_id').execute();

  // Presence at a meeting: by self check-in online or by the secretary in the room. At a
  // founding meeting attendees register before they are members (member_id null).
  await db.schema
    .createTable('meeting_attendance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('member_id', 'text', (c) => c.references('members.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('method', 'text', (c) => c.notNull()) // self | secretary | registration
    .addColumn('checked_in_at', 'text', (c) => c.notNull())
    .addColumn('checked_in_by', 'text')
    .addColumn('checked_out_at', 'text')
    .execute();
  await db.schema
    .createIndex('meeting_attendance_member')
    .on('meeting_attendance')
    .columns(['meeting_id', 'member_id'])
    .unique()
    .where(sql.ref('member_id'), 'is not', null)
    .execute();

  // Plain text, no foreign key: SQLite cannot drop a column that is part of one.
  await db.schema.alterTable('documents').addColumn('adopted_at_meeting_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('documents').dropColumn('adopted_at_meeting_id').execute();
  await db.schema.dropTable('meeting_attendance').execute();
  await db.schema.dropTable('proposals').execute();
  await db.schema.dropTable('agenda_items').execute();
  await db.schema.dropTable('meetings').execute();
  await db.schema.dropTable('governance_settings').execute();
}
