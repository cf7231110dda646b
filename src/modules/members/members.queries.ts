import type { Db } from '../../app/db.js';
import {
  findCurrentDocument,
  type AssociationDocument,
} from '../association/association.repository.js';
import {
  findMemberById,
  findMemberByUserId,
  listMembersInStatus,
  listMembershipFees,
  listMembershipTypes,
  type Member,
  type MembershipType,
} from './members.repository.js';
import {
  listAcceptances,
  listMemberAuditEntries,
  listOfficeTerms,
  listPeriods,
  listStatusChanges,
  type DocumentAcceptance,
  type MemberAuditEntry,
  type MembershipPeriod,
  type OfficeTerm,
  type StatusChange,
} from './member-history.repository.js';

// Read models for the membership pages: what each page shows, gathered in one place.

export type MembershipFacts = {
  member: Member;
  type: MembershipType | null;
  periods: MembershipPeriod[];
  terms: OfficeTerm[];
  acceptances: DocumentAcceptance[];
};

export type MemberDetail = MembershipFacts & {
  statusChanges: StatusChange[];
  audit: MemberAuditEntry[];
  types: MembershipType[];
};

export type TypeWithFee = MembershipType & { feeOre: number | null };

async function factsOf(db: Db, member: Member, types: MembershipType[]): Promise<MembershipFacts> {
  const [periods, terms, acceptances] = await Promise.all([
    listPeriods(db, member.id),
    listOfficeTerms(db, member.id),
    listAcceptances(db, member.id),
  ]);
  return {
    member,
    type: types.find((t) => t.id === member.typeId) ?? null,
    periods,
    terms,
    acceptances,
  };
}

export async function getMyMembership(db: Db, userId: string): Promise<MembershipFacts | null> {
  const member = await findMemberByUserId(db, userId);
  if (!member) return null;
  return factsOf(db, member, await listMembershipTypes(db));
}

export async function getMemberDetail(db: Db, memberId: string): Promise<MemberDetail | null> {
  const member = await findMemberById(db, memberId);
  if (!member) return null;
  const types = await listMembershipTypes(db);
  const [facts, statusChanges, audit] = await Promise.all([
    factsOf(db, member, types),
    listStatusChanges(db, member.id),
    listMemberAuditEntries(db, member.id),
  ]);
  return { ...facts, statusChanges, audit, types };
}

/** Types with their fee for one association year. */
export async function typesWithFees(
  db: Db,
  year: number,
  opts: { activeOnly?: boolean } = {},
): Promise<TypeWithFee[]> {
  const [types, fees] = await Promise.all([
    listMembershipTypes(db, opts),
    listMembershipFees(db, year),
  ]);
  const byType = new Map(fees.map((f) => [f.typeId, f.amountOre]));
  return types.map((t) => ({ ...t, feeOre: byType.get(t.id) ?? null }));
}

export async function getApplyForm(
  db: Db,
  year: number,
): Promise<{
  types: TypeWithFee[];
  statutes: AssociationDocument | null;
  aup: AssociationDocument | null;
}> {
  const [types, statutes, aup] = await Promise.all([
    typesWithFees(db, year, { activeOnly: true }),
    findCurrentDocument(db, 'statutes'),
    findCurrentDocument(db, 'aup'),
  ]);
  return { types, statutes, aup };
}

export async function getApplications(
  db: Db,
): Promise<{ member: Member; type: MembershipType | null }[]> {
  const [members, types] = await Promise.all([
    listMembersInStatus(db, 'applied'),
    listMembershipTypes(db),
  ]);
  return members.map((member) => ({
    member,
    type: types.find((t) => t.id === member.typeId) ?? null,
  }));
}

/** The fee table for the board: every type, with this year's and next year's fee. */
export async function getFeeTable(
  db: Db,
  years: [number, number],
): Promise<{ type: MembershipType; fees: [number | null, number | null] }[]> {
  const [types, current, next] = await Promise.all([
    listMembershipTypes(db),
    listMembershipFees(db, years[0]),
    listMembershipFees(db, years[1]),
  ]);
  const fee = (list: { typeId: string; amountOre: number }[], id: string) =>
    list.find((f) => f.typeId === id)?.amountOre ?? null;
  return types.map((type) => ({ type, fees: [fee(current, type.id), fee(next, type.id)] }));
}
