import { sql } from 'kysely';
import type { Db } from '../../app/db.js';
import { searchTextOf } from './members.repository.js';
import type { MemberStatus } from './members.tables.js';

/** What replaces erased personal data wherever a record has to stay. */
export const ERASED = '[erased]';

/** Keys of audit before/after objects that hold personal data, in both spellings. */
const PERSONAL_KEYS = new Set([
  'name',
  'email',
  'newEmail',
  'phone',
  'address_line',
  'addressLine',
  'postal_code',
  'postalCode',
  'city',
  'country',
  'org_number',
  'orgNumber',
  'contact_person',
  'contactPerson',
  'application_note',
  'applicationNote',
  'handle',
  'administrator',
]);

/** A LIKE pattern matching `s` anywhere, with the wildcards in `s` escaped. */
function containsPattern(s: string): string {
  return `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function replaceAllCaseless(text: string, needle: string): string {
  if (!needle) return text;
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(escaped, 'gi'), ERASED);
}

/**
 * Redacts a parsed JSON value: with `byKey`, every personal field is replaced whatever
 * it holds; always, the person's identifying strings are replaced wherever they occur.
 */
export function redactJson(value: unknown, needles: readonly string[], byKey: boolean): unknown {
  if (typeof value === 'string') {
    let out = value;
    for (const n of needles) out = replaceAllCaseless(out, n);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactJson(v, needles, byKey));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        byKey && PERSONAL_KEYS.has(k) && v !== null && typeof v !== 'object'
          ? ERASED
          : redactJson(v, needles, byKey);
    }
    return out;
  }
  return value;
}

function redactText(text: string | null, needles: readonly string[], byKey: boolean) {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    parsed = text;
  }
  return JSON.stringify(redactJson(parsed, needles, byKey));
}

/** Clears the member row's personal data; the number, type, dates and status stay. */
export async function eraseMemberRow(
  db: Db,
  member: { id: string; memberNumber: number; status: MemberStatus },
  placeholderName: string,
  status: MemberStatus,
  now: Date,
): Promise<void> {
  await db
    .updateTable('members')
    .set({
      user_id: null,
      status,
      name: placeholderName,
      email: null,
      phone: null,
      address_line: null,
      postal_code: null,
      city: null,
      country: null,
      org_number: null,
      contact_person: null,
      application_note: null,
      search_text: searchTextOf({
        name: placeholderName,
        email: null,
        memberNumber: member.memberNumber,
      }),
      erased_at: now.toISOString(),
      updated_at: now.toISOString(),
      ...(status !== member.status ? { status_changed_at: now.toISOString() } : {}),
    })
    .where('id', '=', member.id)
    .execute();
}

/** The person's own actions keep their place in the history, under no name. */
export async function redactStatusChangeActors(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('member_status_changes')
    .set({ actor_label: ERASED })
    .where('actor_user_id', '=', userId)
    .execute();
}

/**
 * Addresses the person used before (an email change, an import): found in the audit
 * entries about their account or member row, so mail to them can be redacted too.
 */
export async function collectPastEmails(
  db: Db,
  who: { userId: string; memberId: string | null },
): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['before', 'after'])
    .where((eb) =>
      eb.or([
        eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', who.userId)]),
        ...(who.memberId
          ? [eb.and([eb('entity_type', '=', 'member'), eb('entity_id', '=', who.memberId)])]
          : []),
      ]),
    )
    .execute();
  const found = new Set<string>();
  const visit = (v: unknown, key: string | null) => {
    if (typeof v === 'string') {
      if ((key === 'email' || key === 'newEmail') && /^[^\s@]+@[^\s@]+$/.test(v))
        found.add(v.trim().toLowerCase());
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  for (const r of rows) {
    for (const text of [r.before, r.after]) {
      if (!text) continue;
      try {
        visit(JSON.parse(text) as unknown, null);
      } catch {
        // not JSON: nothing to collect
      }
    }
  }
  return [...found];
}

/**
 * Redacts the audit log: entries about the user or member lose every personal field;
 * entries the person made lose their name and IP address; any other entry that quotes
 * their email address loses it. Returns how many entries were touched.
 */
export async function redactAuditLog(
  db: Db,
  who: { userId: string | null; memberId: string | null; needles: string[]; emails: string[] },
): Promise<number> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['id', 'actor_user_id', 'entity_type', 'entity_id', 'before', 'after'])
    .where((eb) =>
      eb.or([
        ...(who.userId
          ? [
              eb('actor_user_id', '=', who.userId),
              eb.and([eb('entity_type', '=', 'user'), eb('entity_id', '=', who.userId)]),
            ]
          : []),
        ...(who.memberId
          ? [eb.and([eb('entity_type', '=', 'member'), eb('entity_id', '=', who.memberId)])]
          : []),
        ...who.emails.flatMap((email) => [
          sql<boolean>`${sql.ref('before')} like ${containsPattern(email)} escape '\\'`,
          sql<boolean>`${sql.ref('after')} like ${containsPattern(email)} escape '\\'`,
        ]),
      ]),
    )
    .execute();
  for (const r of rows) {
    const about =
      (r.entity_type === 'user' && r.entity_id !== null && r.entity_id === who.userId) ||
      (r.entity_type === 'member' && r.entity_id !== null && r.entity_id === who.memberId);
    const byThem = who.userId !== null && r.actor_user_id === who.userId;
    await db
      .updateTable('audit_log')
      .set({
        before: redactText(r.before, about ? who.needles : who.emails, about),
        after: redactText(r.after, about ? who.needles : who.emails, about),
        ...(byThem ? { actor_label: ERASED, ip: null } : {}),
      })
      .where('id', '=', r.id)
      .execute();
  }
  return rows.length;
}

const ERASED_PAYLOAD = JSON.stringify({ to: null, subject: ERASED, text: ERASED, erased: true });

/**
 * Mail to the person keeps only its dates and status; unsent mail to them is cancelled.
 * Mail to others that quotes their address has the address (and name) blanked.
 */
export async function redactOutbox(
  db: Db,
  who: { emails: string[]; needles: string[] },
): Promise<number> {
  if (who.emails.length === 0) return 0;
  const own = await db
    .updateTable('outbox')
    .set({ recipient: null, payload: ERASED_PAYLOAD })
    .where('recipient', 'in', who.emails)
    .executeTakeFirst();
  await db
    .updateTable('outbox')
    .set({ status: 'failed', last_error: 'recipient erased', locked_until: null })
    .where('payload', '=', ERASED_PAYLOAD)
    .where('status', 'in', ['pending', 'held'])
    .execute();
  const quoting = await db
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where((eb) =>
      eb.or(
        who.emails.map(
          (email) => sql<boolean>`${sql.ref('payload')} like ${containsPattern(email)} escape '\\'`,
        ),
      ),
    )
    .execute();
  for (const r of quoting) {
    await db
      .updateTable('outbox')
      .set({ payload: redactText(r.payload, who.needles, false) ?? ERASED_PAYLOAD })
      .where('id', '=', r.id)
      .execute();
  }
  return Number(own.numUpdatedRows) + quoting.length;
}

export async function deleteLoginAttempts(db: Db, emails: string[]): Promise<void> {
  if (emails.length === 0) return;
  await db
    .deleteFrom('login_attempts')
    .where(
      'key',
      'in',
      emails.map((e) => `acct:${e}`),
    )
    .execute();
}

/** Deletes the account; sessions, one-time tokens and API tokens go with it (ON DELETE CASCADE). */
export async function deleteUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', userId).execute();
}

export async function countAdministrators(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
