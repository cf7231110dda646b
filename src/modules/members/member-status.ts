import type { Actor } from '../../app/audit.js';
import { associationYear, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import { CommonErrors, type Locale } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail, type EmailMessage } from '../../app/outbox.js';
import { findUserById } from '../accounts/accounts.repository.js';
import { findAssociation, type Association } from '../association/association.repository.js';
import { invalidTransition, MemberErrors, MemberFieldMessages } from './members.errors.js';
import {
  insertPeriod,
  insertPeriods,
  insertStatusChanges,
  updateMemberStatuses,
  type Member,
  type MembershipType,
  type PeriodRow,
} from './members.repository.js';
import type { MemberStatus } from './members.tables.js';
import { onMembershipStatusChanged } from '../sso/revocation.js';
import {
  isAllowedTransition,
  reasonRequired,
  startsNewMembership,
  type TransitionVia,
} from './members.transitions.js';

// The building blocks every membership use-case shares, each running inside the
// caller's transaction: the day and year, the status change itself, and mail.

/** What every change needs to know about "now": the instant, today and the association year. */
export type Scope = {
  now: Date;
  today: string;
  year: { year: number; startsOn: string; endsOn: string };
  association: Association;
};

export async function scopeOf(db: Db, now: Date): Promise<Scope> {
  const association = await findAssociation(db);
  if (!association) throw CommonErrors.setupRequired();
  const today = todayIn(association.timeZone, now);
  return { now, today, year: associationYear(today, association.yearStartMonth), association };
}

/** The member's period for the current association year, from today to the year's end. */
function currentPeriod(scope: Scope, memberId: string): PeriodRow {
  return {
    id: newId(scope.now.getTime()),
    memberId,
    year: scope.year.year,
    startsOn: scope.today,
    endsOn: scope.year.endsOn,
    paidAt: null,
  };
}

/** Opens the member's period of the current year unless it exists. */
export async function ensureCurrentPeriod(tx: Db, scope: Scope, memberId: string): Promise<void> {
  await insertPeriod(tx, currentPeriod(scope, memberId), scope.now);
}

type StatusMove = {
  to: MemberStatus;
  reason: string | null;
  actor: Actor;
  via: TransitionVia;
};

/**
 * The one way a member's status changes: checks the transition table and the reason,
 * updates the row only if its status is still what was read (so concurrent decisions
 * cannot both win), records the change and opens the year's period on activation.
 */
export async function moveStatus(
  tx: Db,
  scope: Scope,
  opts: StatusMove & { member: Member },
): Promise<void> {
  await moveStatuses(tx, scope, { ...opts, members: [opts.member] });
}

/**
 * moveStatus for many members at once (a bank import brings lapsed members back), in a
 * few statements per status they come from rather than a few per member. All or nothing:
 * if one member's status is no longer what was read, nothing is recorded (the caller's
 * transaction rolls back on the error).
 */
export async function moveStatuses(
  tx: Db,
  scope: Scope,
  opts: StatusMove & { members: readonly Member[] },
): Promise<void> {
  const { to, actor } = opts;
  const byFrom = new Map<MemberStatus, Member[]>();
  for (const member of opts.members) {
    const from = member.status;
    if (!isAllowedTransition(from, to, opts.via)) throw invalidTransition(from, to);
    if (reasonRequired(from, to) && !opts.reason)
      throw MemberErrors.reasonRequired(undefined, { reason: MemberFieldMessages.reasonRequired });
    const group = byFrom.get(from);
    if (group) group.push(member);
    else byFrom.set(from, [member]);
  }
  for (const [from, members] of byFrom) {
    const joinedOn = to === 'active' && startsNewMembership(from) ? scope.today : undefined;
    const changed = await updateMemberStatuses(
      tx,
      { ids: members.map((m) => m.id), from, to, ...(joinedOn ? { joinedOn } : {}) },
      scope.now,
    );
    if (changed !== members.length) throw MemberErrors.statusChanged();
  }
  await insertStatusChanges(
    tx,
    opts.members.map((member) => ({
      id: newId(scope.now.getTime()),
      memberId: member.id,
      from: member.status,
      to,
      actorUserId: actor.userId,
      actorLabel: actor.label,
      reason: opts.reason,
    })),
    scope.now,
  );
  if (to === 'active')
    await insertPeriods(
      tx,
      opts.members.map((member) => currentPeriod(scope, member.id)),
      scope.now,
    );
  // Services follow the membership in the same transaction: revocation or reinstatement.
  for (const member of opts.members)
    await onMembershipStatusChanged(tx, {
      memberId: member.id,
      userId: member.userId,
      from: member.status,
      to,
      reason: opts.reason,
      now: scope.now,
    });
}

/** Where a member's mail goes, in the language of their account (or the association's). */
export async function recipientOf(
  tx: Db,
  scope: Scope,
  member: Pick<Member, 'email' | 'name' | 'userId'>,
): Promise<{ to: string; name: string; association: string; locale: Locale } | null> {
  if (!member.email) return null;
  const user = member.userId ? await findUserById(tx, member.userId) : null;
  return {
    to: member.email,
    name: member.name,
    association: scope.association.name,
    locale: user?.locale ?? scope.association.defaultLocale,
  };
}

export async function mail(tx: Db, scope: Scope, message: EmailMessage | null): Promise<void> {
  if (message) await enqueueEmail(tx, { message, at: scope.now });
}

export function checkOrganisation(
  type: MembershipType,
  orgNumber: string | null,
  person: string | null,
) {
  if (!type.isOrganisation || (orgNumber && person)) return;
  throw MemberErrors.organisationFields(undefined, {
    ...(orgNumber ? {} : { org_number: MemberFieldMessages.orgNumberRequired }),
    ...(person ? {} : { contact_person: MemberFieldMessages.contactPersonRequired }),
  });
}
