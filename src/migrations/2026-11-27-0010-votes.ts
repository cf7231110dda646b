import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Votes at meetings: the voter register frozen for each meeting, votes on agenda items and
// proposals, requests for a secret ballot, and — for secret ballots — who has voted and
// what was voted kept in two tables with nothing linking them (no member id on a ballot,
// random ballot ids, no timestamps, no insertion order: SQLite keeps both tables WITHOUT
// ROWID, i.e. stored in key order only).

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter.constructor.name.toLowerCase().includes('sqlite');

  // One per meeting, made when the register is frozen.
  await db.schema
    .createTable('voter_registers')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('qualifying_on', 'text') // the meeting's qualifying date, as applied
    .addColumn('paid_cutoff_on', 'text', (c) => c.notNull()) // dues due before this were overdue
    .addColumn('eligible_count', 'integer', (c) => c.notNull())
    .addColumn('frozen_at', 'text', (c) => c.notNull())
    .addColumn('frozen_by', 'text') // audit label; null: when the meeting opened
    .addColumn('approved_at', 'text')
    .addColumn('approved_by', 'text')
    .execute();

  await db.schema
    .createTable('voter_register_entries')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('member_number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('voter_register_entries_pk', ['meeting_id', 'member_id'])
    .execute();

  await db.schema
    .createTable('votes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('agenda_item_id', 'text', (c) => c.references('agenda_items.id'))
    .addColumn('proposal_id', 'text', (c) => c.references('proposals.id'))
    // An election's ballot (elections hang their own row here); > 1 candidate forces secret.
    .addColumn('election_ref', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // open | named | secret
    .addColumn('options', 'text', (c) => c.notNull()) // JSON array of option keys/labels
    .addColumn('rule', 'text', (c) => c.notNull()) // simple | two_thirds | statutes
    .addColumn('majority_numerator', 'integer', (c) => c.notNull())
    .addColumn('majority_denominator', 'integer', (c) => c.notNull())
    .addColumn('majority_base', 'text', (c) => c.notNull()) // cast | present
    .addColumn('status', 'text', (c) => c.notNull()) // draft | open | closed
    .addColumn('vote_date', 'text', (c) => c.notNull()) // the meeting's day, no finer
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('present_count', 'integer') // members present, at opening then at close
    .addColumn('result', 'text') // JSON: counts per option, cast, blank, base, required
    .addColumn('outcome', 'text') // passed | failed | tie
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('votes_meeting').on('votes').column('meeting_id').execute();

  // Members present asking for a secret ballot before the vote opens.
  await db.schema
    .createTable('vote_secret_requests')
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addPrimaryKeyConstraint('vote_secret_requests_pk', ['vote_id', 'member_id'])
    .execute();

  // Who has voted (every kind). The primary key refuses a second vote.
  const participation = db.schema
    .createTable('vote_participation')
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addPrimaryKeyConstraint('vote_participation_pk', ['vote_id', 'member_id']);
  await (sqlite ? participation.modifyEnd(sql`without rowid`) : participation).execute();

  // What was voted in a secret ballot: nothing about the voter, no time.
  const ballots = db.schema
    .createTable('ballots')
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('id', 'text', (c) => c.notNull()) // random, not time-ordered
    .addColumn('choice', 'text', (c) => c.notNull())
    .addColumn('receipt_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ballots_pk', ['vote_id', 'id']);
  await (sqlite ? ballots.modifyEnd(sql`without rowid`) : ballots).execute();

  // A named vote: the member's choice is part of the record.
  await db.schema
    .createTable('named_votes')
    .addColumn('vote_id', 'text', (c) => c.notNull().references('votes.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('choice', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('named_votes_pk', ['vote_id', 'member_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('named_votes').execute();
  await db.schema.dropTable('ballots').execute();
  await db.schema.dropTable('vote_participation').execute();
  await db.schema.dropTable('vote_secret_requests').execute();
  await db.schema.dropTable('votes').execute();
  await db.schema.dropTable('voter_register_entries').execute();
  await db.schema.dropTable('voter_registers').execute();
}
