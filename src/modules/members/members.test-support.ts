// Helpers shared by the membership tests (imported by *.test.ts only).
import type { Kysely } from 'kysely';
import type { Running } from '../../app/bootstrap.js';
import type { DB } from '../../app/database.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { TestClient } from '../../../test/helpers/app.js';
import { PASSWORD } from '../../../test/helpers/fixtures.js';

export async function loggedIn(app: Running, email: string, password = PASSWORD) {
  const client = new TestClient(app.url);
  await client.logIn(email, password);
  return client;
}

/** A complete, valid application for a person. */
export function applyForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    type: 'ordinary',
    name: 'Siri Søker',
    phone: '+47 912 34 567',
    address_line: 'Storgata 1',
    postal_code: '0155',
    city: 'Oslo',
    country: 'Norge',
    note: 'Jeg drifter gjerne Matrix.',
    accept_statutes: 'on',
    accept_aup: 'on',
    ...overrides,
  };
}

export function todayAndYear(app: Running, startMonth = 1) {
  const today = todayIn('Europe/Oslo', app.ctx.clock.now());
  return { today, year: associationYear(today, startMonth) };
}

export async function memberRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function memberOfUser(db: Kysely<DB>, userId: string) {
  return db.selectFrom('members').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function statusChangesOf(db: Kysely<DB>, memberId: string) {
  return db
    .selectFrom('member_status_changes')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('id')
    .execute();
}

export async function auditOf(db: Kysely<DB>, memberId: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', 'member')
    .where('entity_id', '=', memberId)
    .orderBy('id')
    .execute();
}

export async function periodsOf(db: Kysely<DB>, memberId: string) {
  return db
    .selectFrom('membership_periods')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
}

export async function outboxTo(db: Kysely<DB>, recipient: string) {
  return db.selectFrom('outbox').selectAll().where('recipient', '=', recipient).execute();
}
