import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// The rest of a meeting's record: elections (positions with seats and terms, nominations,
// the result as office terms), minutes (drafted from the record, confirmed by two
// attendees, locked, published), proxies, and the founding meeting's attendees who join.

export async function up(db: Kysely<any>): Promise<void> {
  // An election at a meeting: one position (an office) with a number of seats and a term.
  await db.schema
    .createTable('elections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('agenda_item_id', 'text', (c) => c.references('agenda_items.id'))
    .addColumn('office', 'text', (c) => c.notNull()) // board_member | board_alternate | auditor …
    .addColumn('title', 'text') // null: named by office
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('term_months', 'integer', (c) => c.notNull())
    .addColumn('term_starts_on', 'text', (c) => c.notNull()) // first day of the terms
    .addColumn('status', 'text', (c) => c.notNull()) // nominating | voting | decided | cancelled
    .addColumn('vote_id', 'text', (c) => c.references('votes.id'))
    .addColumn('decided_at', 'text')
    .addColumn('request_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('elections_meeting').on('elections').column('meeting_id').execute();

  // A candidate: a member nominated (by someone else or by themselves) who accepts.
  await db.schema
    .createTable('election_candidates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('election_id', 'text', (c) => c.notNull().references('elections.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('statement', 'text')
    .addColumn('nominated_by', 'text') // audit label of who nominated
    .addColumn('self_nominated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_at', 'text')
    .addColumn('withdrawn_at', 'text')
    .addColumn('votes', 'integer') // at decision
    .addColumn('elected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rank', 'integer') // 1 = most votes; at decision
    .addColumn('office_term_id', 'text', (c) => c.references('office_terms.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('election_candidates_member', ['election_id', 'member_id'])
    .execute();

  // The minutes of a meeting: one per meeting.
  await db.schema
    .createTable('meeting_minutes')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // draft | confirming | locked
    .addColumn('drafted_at', 'text', (c) => c.notNull())
    .addColumn('drafted_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(1)) // optimistic lock
    .addColumn('locked_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('body_sha256', 'text') // at locking: the text that was confirmed
    .execute();

  // The attendees the meeting chose to confirm (sign) the minutes; two by default.
  await db.schema
    .createTable('minutes_confirmers')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('chosen_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmed_revision', 'integer')
    .addPrimaryKeyConstraint('minutes_confirmers_pk', ['meeting_id', 'member_id'])
    .execute();

  // A proxy: a member on the register lets another one present vote for them (when the
  // association allows proxies; capped per holder).
  await db.schema
    .createTable('meeting_proxies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('grantor_member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('holder_member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('meeting_proxies_grantor')
    .on('meeting_proxies')
    .columns(['meeting_id', 'grantor_member_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('meeting_proxies_holder')
    .on('meeting_proxies')
    .columns(['meeting_id', 'holder_member_id'])
    .execute();

  // The founding meeting: attendees say whether they join; those who do become founding
  // members (the meeting they founded is on their record).
  await db.schema
    .alterTable('meeting_attendance')
    .addColumn('wants_membership', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('members').addColumn('founding_meeting_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('members').dropColumn('founding_meeting_id').execute();
  await db.schema.alterTable('meeting_attendance').dropColumn('wants_membership').execute();
  await db.schema.dropTable('meeting_proxies').execute();
  await db.schema.dropTable('minutes_confirmers').execute();
  await db.schema.dropTable('meeting_minutes').execute();
  await db.schema.dropTable('election_candidates').execute();
  await db.schema.dropTable('elections').execute();
}
