import type { AppContext } from '../../app/context.js';
import { diff, recordAudit, type Actor } from '../../app/audit.js';
import { nextNumber } from '../../app/counters.js';
import { CommonErrors } from '../../app/errors.js';
import { newId } from '../../app/ids.js';
import { findUserById } from '../accounts/accounts.repository.js';
import { findCurrentDocument } from '../association/association.repository.js';
import {
  checkOrganisation,
  ensureCurrentPeriod,
  mail,
  moveStatus,
  recipientOf,
  scopeOf,
} from './member-status.js';
import {
  applicationApprovedMessage,
  applicationReceivedMessage,
  applicationRefusedMessage,
  resignationConfirmedMessage,
  statusChangedMessage,
} from './members.emails.js';
import { MemberErrors, MemberFieldMessages } from './members.errors.js';
import {
  findMemberByEmail,
  findMemberById,
  findMemberByUserId,
  findMembershipTypeByCode,
  insertAcceptance,
  insertMember,
  insertStatusChange,
  updateMember,
  type MemberContact,
} from './members.repository.js';
import type { ApplyInput, EditMemberInput } from './members.schemas.js';
import type { MemberStatus } from './members.tables.js';
import { MAY_RESIGN } from './members.transitions.js';

type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/**
 * An account holder applies for membership. With approval required the member is
 * 'applied' until the board decides; otherwise active at once with this year's period.
 * A former member (resigned, lapsed, refused) keeps their row and member number.
 */
export async function applyForMembership(
  deps: Deps,
  input: { actor: Actor; userId: string; application: ApplyInput },
): Promise<{ memberId: string; memberNumber: number; status: MemberStatus }> {
  const { application: a, actor } = input;
  const result = await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const user = await findUserById(tx, input.userId);
    if (!user) throw CommonErrors.unauthenticated();
    if (!user.emailVerified) throw MemberErrors.emailNotVerified();

    const type = await findMembershipTypeByCode(tx, a.type);
    if (!type || !type.active)
      throw MemberErrors.typeUnavailable(undefined, { type: MemberFieldMessages.typeUnavailable });
    checkOrganisation(type, a.org_number, a.contact_person);

    // The person accepts the versions they were shown; a newer one must be read first.
    const statutes = await findCurrentDocument(tx, 'statutes');
    const aup = await findCurrentDocument(tx, 'aup');
    if (
      (a.statutes_id && statutes && a.statutes_id !== statutes.id) ||
      (a.aup_id && aup && a.aup_id !== aup.id)
    )
      throw MemberErrors.documentsChanged();

    const own = await findMemberByUserId(tx, user.id);
    const byEmail = await findMemberByEmail(tx, user.email);
    if (byEmail && byEmail.id !== own?.id && (own || byEmail.userId !== null))
      throw MemberErrors.emailInUse();
    const existing = own ?? byEmail;
    if (existing) {
      switch (existing.status) {
        case 'applied':
          throw MemberErrors.alreadyApplied();
        case 'active':
        case 'suspended':
          throw MemberErrors.alreadyMember();
        case 'excluded':
          throw MemberErrors.excluded();
        case 'resigned':
        case 'lapsed':
        case 'refused':
          break;
      }
    }

    const status: MemberStatus = scope.association.requireApproval ? 'applied' : 'active';
    const contact: MemberContact = {
      name: a.name,
      email: user.email,
      phone: a.phone,
      addressLine: a.address_line,
      postalCode: a.postal_code,
      city: a.city,
      country: a.country,
      orgNumber: type.isOrganisation ? a.org_number : null,
      contactPerson: type.isOrganisation ? a.contact_person : null,
    };
    let memberId: string;
    let memberNumber: number;
    if (existing) {
      memberId = existing.id;
      memberNumber = existing.memberNumber;
      await updateMember(
        tx,
        memberId,
        { ...contact, typeId: type.id, userId: user.id, applicationNote: a.note },
        scope.now,
      );
      await moveStatus(tx, scope, {
        member: existing,
        to: status,
        reason: null,
        actor,
        via: 'application',
      });
    } else {
      memberId = newId(scope.now.getTime());
      memberNumber = await nextNumber(tx, 'member_number');
      await insertMember(
        tx,
        {
          ...contact,
          id: memberId,
          memberNumber,
          userId: user.id,
          typeId: type.id,
          status,
          applicationNote: a.note,
          joinedOn: status === 'active' ? scope.today : null,
        },
        scope.now,
      );
      await insertStatusChange(
        tx,
        {
          id: newId(scope.now.getTime()),
          memberId,
          from: null,
          to: status,
          actorUserId: actor.userId,
          actorLabel: actor.label,
          reason: null,
        },
        scope.now,
      );
      if (status === 'active') await ensureCurrentPeriod(tx, scope, memberId);
    }

    for (const doc of [statutes, aup]) {
      if (doc)
        await insertAcceptance(
          tx,
          { id: newId(scope.now.getTime()), memberId, documentId: doc.id },
          scope.now,
        );
    }
    await recordAudit(tx, {
      actor,
      action: 'members.applied',
      entityType: 'member',
      entityId: memberId,
      ...(existing ? { before: { status: existing.status } } : {}),
      after: {
        status,
        type: type.code,
        memberNumber,
        name: contact.name,
        accepted: {
          statutes: statutes?.version ?? null,
          aup: aup?.version ?? null,
        },
      },
      at: scope.now,
    });
    const to = await recipientOf(tx, scope, { ...contact, userId: user.id });
    if (to)
      await mail(
        tx,
        scope,
        status === 'applied'
          ? applicationReceivedMessage(to)
          : applicationApprovedMessage({
              ...to,
              memberNumber,
              link: `${deps.config.baseUrl}/membership`,
            }),
      );
    return { memberId, memberNumber, status };
  });
  deps.kickOutbox();
  return result;
}

/**
 * Changes a member's status: the board's form on the member page ('board') and its
 * decisions on applications ('approval'). Tells the member by email.
 */
export async function changeMemberStatus(
  deps: Deps,
  input: {
    actor: Actor;
    memberId: string;
    to: MemberStatus;
    reason: string | null;
    via: 'board' | 'approval';
  },
): Promise<{ from: MemberStatus; to: MemberStatus }> {
  const result = await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const member = await findMemberById(tx, input.memberId);
    if (!member || member.erasedAt) throw MemberErrors.notFound();
    const from = member.status;
    const { to, reason } = input;
    await moveStatus(tx, scope, { member, to, reason, actor: input.actor, via: input.via });
    await recordAudit(tx, {
      actor: input.actor,
      action:
        from === 'applied' && to === 'active'
          ? 'members.approved'
          : to === 'refused'
            ? 'members.refused'
            : 'members.status_changed',
      entityType: 'member',
      entityId: member.id,
      before: { status: from },
      after: { status: to, ...(reason ? { reason } : {}) },
      at: scope.now,
    });
    const recipient = await recipientOf(tx, scope, member);
    if (recipient) {
      const message =
        from === 'applied' && to === 'active'
          ? applicationApprovedMessage({
              ...recipient,
              memberNumber: member.memberNumber,
              link: `${deps.config.baseUrl}/membership`,
            })
          : to === 'refused'
            ? applicationRefusedMessage({ ...recipient, reason: reason ?? '' })
            : to === 'applied'
              ? null
              : statusChangedMessage({ ...recipient, status: to, reason });
      await mail(tx, scope, message);
    }
    return { from, to };
  });
  deps.kickOutbox();
  return result;
}

export function approveApplication(deps: Deps, input: { actor: Actor; memberId: string }) {
  return changeMemberStatus(deps, { ...input, to: 'active', reason: null, via: 'approval' });
}

export function refuseApplication(
  deps: Deps,
  input: { actor: Actor; memberId: string; reason: string },
) {
  return changeMemberStatus(deps, { ...input, to: 'refused', via: 'approval' });
}

/** A member ends their own membership. */
export async function resignMembership(
  deps: Deps,
  input: { actor: Actor; userId: string; reason: string | null },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const member = await findMemberByUserId(tx, input.userId);
    if (!member || !MAY_RESIGN.includes(member.status)) throw MemberErrors.notAMember();
    await moveStatus(tx, scope, {
      member,
      to: 'resigned',
      reason: input.reason,
      actor: input.actor,
      via: 'resignation',
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.resigned',
      entityType: 'member',
      entityId: member.id,
      before: { status: member.status },
      after: { status: 'resigned', ...(input.reason ? { reason: input.reason } : {}) },
      at: scope.now,
    });
    const recipient = await recipientOf(tx, scope, member);
    if (recipient) await mail(tx, scope, resignationConfirmedMessage(recipient));
  });
  deps.kickOutbox();
}

/**
 * The board corrects a member's contact details or type. A member with an account keeps
 * the account's email address (it changes only through the account's confirmation).
 */
export async function updateMemberDetails(
  deps: Deps,
  input: { actor: Actor; memberId: string; details: EditMemberInput },
): Promise<void> {
  const d = input.details;
  await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    const member = await findMemberById(tx, input.memberId);
    if (!member || member.erasedAt) throw MemberErrors.notFound();
    const type = await findMembershipTypeByCode(tx, d.type);
    if (!type)
      throw MemberErrors.typeUnavailable(undefined, { type: MemberFieldMessages.typeUnavailable });
    checkOrganisation(type, d.org_number, d.contact_person);
    const email = member.userId ? member.email : d.email;
    if (email && email !== member.email) {
      const other = await findMemberByEmail(tx, email);
      if (other && other.id !== member.id)
        throw MemberErrors.emailInUse(undefined, { email: MemberFieldMessages.emailInUse });
    }
    const changes = {
      name: d.name,
      email,
      phone: d.phone,
      addressLine: d.address_line,
      postalCode: d.postal_code,
      city: d.city,
      country: d.country,
      orgNumber: type.isOrganisation ? d.org_number : null,
      contactPerson: type.isOrganisation ? d.contact_person : null,
      typeId: type.id,
    };
    const { before, after } = diff<typeof changes>({ ...member }, changes);
    if (Object.keys(after).length === 0) return;
    await updateMember(tx, member.id, changes, now);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.updated',
      entityType: 'member',
      entityId: member.id,
      before,
      after,
      at: now,
    });
  });
}
