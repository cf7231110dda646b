import type { Selectable } from 'kysely';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import type { MembersTable, MemberStatus, MembershipTypesTable, Office } from './members.tables.js';

export type MembershipType = {
  id: string;
  code: string;
  nameNb: string;
  nameEn: string;
  isOrganisation: boolean;
  active: boolean;
};

export type Member = {
  id: string;
  memberNumber: number;
  userId: string | null;
  typeId: string;
  status: MemberStatus;
  name: string;
  email: string | null;
  phone: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  country: string | null;
  orgNumber: string | null;
  contactPerson: string | null;
  applicationNote: string | null;
  joinedOn: string | null;
  statusChangedAt: string;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
};

export type MemberContact = Pick<
  Member,
  | 'name'
  | 'email'
  | 'phone'
  | 'addressLine'
  | 'postalCode'
  | 'city'
  | 'country'
  | 'orgNumber'
  | 'contactPerson'
>;

export function typeName(type: Pick<MembershipType, 'nameNb' | 'nameEn'>, locale: Locale): string {
  return locale === 'en' ? type.nameEn : type.nameNb;
}

export function toMembershipType(row: Selectable<MembershipTypesTable>): MembershipType {
  return {
    id: row.id,
    code: row.code,
    nameNb: row.name_nb,
    nameEn: row.name_en,
    isOrganisation: row.is_organisation === 1,
    active: row.active === 1,
  };
}

/** The columns of a members row that make a Member (every one but the search text). */
export type MemberRow = Omit<Selectable<MembersTable>, 'search_text' | 'founding_meeting_id'>;

/** MemberRow's columns by name, for statements that build the row as JSON. */
export const MEMBER_ROW_COLUMNS = Object.keys({
  id: true,
  member_number: true,
  user_id: true,
  type_id: true,
  status: true,
  name: true,
  email: true,
  phone: true,
  address_line: true,
  postal_code: true,
  city: true,
  country: true,
  org_number: true,
  contact_person: true,
  application_note: true,
  joined_on: true,
  status_changed_at: true,
  created_at: true,
  updated_at: true,
  erased_at: true,
} satisfies Record<keyof MemberRow, true>) as (keyof MemberRow)[];

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    memberNumber: row.member_number,
    userId: row.user_id,
    typeId: row.type_id,
    status: row.status,
    name: row.name,
    email: row.email,
    phone: row.phone,
    addressLine: row.address_line,
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
    orgNumber: row.org_number,
    contactPerson: row.contact_person,
    applicationNote: row.application_note,
    joinedOn: row.joined_on,
    statusChangedAt: row.status_changed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    erasedAt: row.erased_at,
  };
}

/** The lower-cased text member search looks in: name, email and member number. */
export function searchTextOf(m: {
  name: string;
  email: string | null;
  memberNumber: number;
  orgNumber?: string | null;
}): string {
  return [m.name, m.email ?? '', String(m.memberNumber), m.orgNumber ?? ''].join(' ').toLowerCase();
}

export function contactToRow(c: Partial<MemberContact>) {
  return {
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.email !== undefined
      ? { email: c.email === null ? null : c.email.trim().toLowerCase() }
      : {}),
    ...(c.phone !== undefined ? { phone: c.phone } : {}),
    ...(c.addressLine !== undefined ? { address_line: c.addressLine } : {}),
    ...(c.postalCode !== undefined ? { postal_code: c.postalCode } : {}),
    ...(c.city !== undefined ? { city: c.city } : {}),
    ...(c.country !== undefined ? { country: c.country } : {}),
    ...(c.orgNumber !== undefined ? { org_number: c.orgNumber } : {}),
    ...(c.contactPerson !== undefined ? { contact_person: c.contactPerson } : {}),
  };
}

export async function listMembershipTypes(
  db: Db,
  opts: { activeOnly?: boolean } = {},
): Promise<MembershipType[]> {
  let q = db.selectFrom('membership_types').selectAll().orderBy('sort_order').orderBy('code');
  if (opts.activeOnly) q = q.where('active', '=', 1);
  return (await q.execute()).map(toMembershipType);
}

export async function findMembershipTypeByCode(
  db: Db,
  code: string,
): Promise<MembershipType | null> {
  const row = await db
    .selectFrom('membership_types')
    .selectAll()
    .where('code', '=', code)
    .executeTakeFirst();
  return row ? toMembershipType(row) : null;
}

export async function findMemberById(db: Db, id: string): Promise<Member | null> {
  const row = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toMember(row) : null;
}

export async function findMemberByUserId(db: Db, userId: string): Promise<Member | null> {
  const row = await db
    .selectFrom('members')
    .selectAll()
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? toMember(row) : null;
}

export async function findMemberByEmail(db: Db, email: string): Promise<Member | null> {
  const row = await db
    .selectFrom('members')
    .selectAll()
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
  return row ? toMember(row) : null;
}

export async function findMemberByNumber(db: Db, memberNumber: number): Promise<Member | null> {
  const row = await db
    .selectFrom('members')
    .selectAll()
    .where('member_number', '=', memberNumber)
    .executeTakeFirst();
  return row ? toMember(row) : null;
}

/** Offices whose term covers `today`. */
export async function currentOffices(db: Db, memberId: string, today: string): Promise<Office[]> {
  const rows = await db
    .selectFrom('office_terms')
    .select('office')
    .where('member_id', '=', memberId)
    .where('starts_on', '<=', today)
    .where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)]))
    .execute();
  return [...new Set(rows.map((r) => r.office))];
}

export async function insertMembershipType(
  db: Db,
  t: {
    id: string;
    code: string;
    nameNb: string;
    nameEn: string;
    isOrganisation: boolean;
    sortOrder: number;
  },
): Promise<void> {
  await db
    .insertInto('membership_types')
    .values({
      id: t.id,
      code: t.code,
      name_nb: t.nameNb,
      name_en: t.nameEn,
      is_organisation: t.isOrganisation ? 1 : 0,
      active: 1,
      sort_order: t.sortOrder,
    })
    .execute();
}

export async function upsertMembershipFee(
  db: Db,
  f: { id: string; typeId: string; year: number; amountOre: number },
): Promise<void> {
  await db
    .insertInto('membership_fees')
    .values({ id: f.id, type_id: f.typeId, year: f.year, amount_ore: f.amountOre })
    .onConflict((oc) => oc.columns(['type_id', 'year']).doUpdateSet({ amount_ore: f.amountOre }))
    .execute();
}

export async function listMembershipFees(
  db: Db,
  year: number,
): Promise<{ typeId: string; amountOre: number }[]> {
  const rows = await db
    .selectFrom('membership_fees')
    .select(['type_id', 'amount_ore'])
    .where('year', '=', year)
    .execute();
  return rows.map((r) => ({ typeId: r.type_id, amountOre: r.amount_ore }));
}

export type NewMember = MemberContact & {
  id: string;
  memberNumber: number;
  userId: string | null;
  typeId: string;
  status: MemberStatus;
  applicationNote: string | null;
  joinedOn: string | null;
};

export function newMemberRow(m: NewMember, now: Date) {
  return {
    id: m.id,
    member_number: m.memberNumber,
    user_id: m.userId,
    type_id: m.typeId,
    status: m.status,
    name: m.name,
    email: m.email === null ? null : m.email.trim().toLowerCase(),
    phone: m.phone,
    address_line: m.addressLine,
    postal_code: m.postalCode,
    city: m.city,
    country: m.country,
    org_number: m.orgNumber,
    contact_person: m.contactPerson,
    application_note: m.applicationNote,
    joined_on: m.joinedOn,
    status_changed_at: now.toISOString(),
    search_text: searchTextOf(m),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    erased_at: null,
  };
}

export async function insertMember(db: Db, m: NewMember, now: Date): Promise<void> {
  await db.insertInto('members').values(newMemberRow(m, now)).execute();
}

export type StatusChangeRow = {
  id: string;
  memberId: string;
  from: MemberStatus | null;
  to: MemberStatus;
  actorUserId: string | null;
  actorLabel: string;
  reason: string | null;
};

/** Rows per multi-row statement of the bulk writes here (10 columns at most). */
const ROWS_PER_INSERT = 500;

export async function insertStatusChange(db: Db, c: StatusChangeRow, now: Date): Promise<void> {
  await insertStatusChanges(db, [c], now);
}

/** Records many status changes in few statements. */
export async function insertStatusChanges(
  db: Db,
  changes: readonly StatusChangeRow[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < changes.length; i += ROWS_PER_INSERT)
    await db
      .insertInto('member_status_changes')
      .values(
        changes.slice(i, i + ROWS_PER_INSERT).map((c) => ({
          id: c.id,
          member_id: c.memberId,
          from_status: c.from,
          to_status: c.to,
          at: now.toISOString(),
          actor_user_id: c.actorUserId,
          actor_label: c.actorLabel,
          reason: c.reason,
        })),
      )
      .execute();
}

export type PeriodRow = {
  id: string;
  memberId: string;
  year: number;
  startsOn: string;
  endsOn: string;
  paidAt: string | null;
};

export async function insertPeriod(db: Db, p: PeriodRow, now: Date): Promise<void> {
  await insertPeriods(db, [p], now);
}

/** Opens many periods in few statements; a member's existing period of the year stays. */
export async function insertPeriods(
  db: Db,
  periods: readonly PeriodRow[],
  now: Date,
): Promise<void> {
  for (let i = 0; i < periods.length; i += ROWS_PER_INSERT)
    await db
      .insertInto('membership_periods')
      .values(
        periods.slice(i, i + ROWS_PER_INSERT).map((p) => ({
          id: p.id,
          member_id: p.memberId,
          year: p.year,
          starts_on: p.startsOn,
          ends_on: p.endsOn,
          paid_at: p.paidAt,
          created_at: now.toISOString(),
        })),
      )
      .onConflict((oc) => oc.columns(['member_id', 'year']).doNothing())
      .execute();
}

export async function insertOfficeTerm(
  db: Db,
  t: {
    id: string;
    memberId: string;
    office: Office;
    startsOn: string;
    endsOn: string | null;
    note: string | null;
    createdBy: string | null;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('office_terms')
    .values({
      id: t.id,
      member_id: t.memberId,
      office: t.office,
      starts_on: t.startsOn,
      ends_on: t.endsOn,
      note: t.note,
      created_at: now.toISOString(),
      created_by: t.createdBy,
    })
    .execute();
}

export async function insertAcceptance(
  db: Db,
  a: { id: string; memberId: string; documentId: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('document_acceptances')
    .values({
      id: a.id,
      member_id: a.memberId,
      document_id: a.documentId,
      accepted_at: now.toISOString(),
    })
    .execute();
}

// --- membership lifecycle: type, fee and status writes ---

export async function findMembershipTypeById(db: Db, id: string): Promise<MembershipType | null> {
  const row = await db
    .selectFrom('membership_types')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toMembershipType(row) : null;
}

export async function setMembershipTypeActive(db: Db, id: string, active: boolean): Promise<void> {
  await db
    .updateTable('membership_types')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', id)
    .execute();
}

/** Members in one status, oldest change first (the board's queue of applications). */
export async function listMembersInStatus(db: Db, status: MemberStatus): Promise<Member[]> {
  const rows = await db
    .selectFrom('members')
    .selectAll()
    .where('status', '=', status)
    .orderBy('status_changed_at')
    .orderBy('member_number')
    .execute();
  return rows.map(toMember);
}

/**
 * Moves a member from one status to another only if the row still has `from`: two
 * concurrent changes cannot both succeed. Returns whether this call made the change.
 */
export async function updateMemberStatus(
  db: Db,
  opts: { id: string; from: MemberStatus; to: MemberStatus; joinedOn?: string | null },
  now: Date,
): Promise<boolean> {
  return (await updateMemberStatuses(db, { ...opts, ids: [opts.id] }, now)) === 1;
}

/**
 * Moves the members `ids` from status `from` to `to` in few statements; only rows still
 * in `from` change. Returns how many changed.
 */
export async function updateMemberStatuses(
  db: Db,
  opts: { ids: readonly string[]; from: MemberStatus; to: MemberStatus; joinedOn?: string | null },
  now: Date,
): Promise<number> {
  let changed = 0;
  for (let i = 0; i < opts.ids.length; i += ROWS_PER_INSERT) {
    const res = await db
      .updateTable('members')
      .set({
        status: opts.to,
        status_changed_at: now.toISOString(),
        updated_at: now.toISOString(),
        ...(opts.joinedOn !== undefined ? { joined_on: opts.joinedOn } : {}),
      })
      .where('id', 'in', opts.ids.slice(i, i + ROWS_PER_INSERT))
      .where('status', '=', opts.from)
      .executeTakeFirst();
    changed += Number(res.numUpdatedRows);
  }
  return changed;
}

/** Updates contact details, type or account link, keeping the search text in sync. */
export async function updateMember(
  db: Db,
  id: string,
  changes: Partial<MemberContact> & {
    typeId?: string;
    userId?: string | null;
    applicationNote?: string | null;
  },
  now: Date,
): Promise<Member | null> {
  const current = await findMemberById(db, id);
  if (!current) return null;
  const searchText = searchTextOf({
    name: changes.name ?? current.name,
    email: changes.email !== undefined ? changes.email : current.email,
    memberNumber: current.memberNumber,
    orgNumber: changes.orgNumber !== undefined ? changes.orgNumber : current.orgNumber,
  });
  await db
    .updateTable('members')
    .set({
      ...contactToRow(changes),
      ...(changes.typeId !== undefined ? { type_id: changes.typeId } : {}),
      ...(changes.userId !== undefined ? { user_id: changes.userId } : {}),
      ...(changes.applicationNote !== undefined
        ? { application_note: changes.applicationNote }
        : {}),
      search_text: searchText,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
  return findMemberById(db, id);
}
