import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { newId } from '../../app/ids.js';
import { MemberErrors, MemberFieldMessages } from './members.errors.js';
import { findMemberById, insertOfficeTerm } from './members.repository.js';
import { findOfficeTerm, setOfficeTermEnd } from './member-history.repository.js';
import type { Office } from './members.tables.js';
import { scopeOf } from './member-status.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/**
 * Gives an active member an office for a term. Permissions follow from it for as long as
 * the term covers the day (see current-user.ts), with nothing else to update.
 */
export async function assignOffice(
  deps: Deps,
  input: {
    actor: Actor;
    memberId: string;
    office: Office;
    startsOn: string;
    endsOn: string | null;
    note: string | null;
  },
): Promise<{ termId: string }> {
  return deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    const member = await findMemberById(tx, input.memberId);
    if (!member || member.erasedAt) throw MemberErrors.notFound();
    if (member.status !== 'active') throw MemberErrors.officeNeedsActiveMember();
    if (input.endsOn !== null && input.endsOn < input.startsOn)
      throw MemberErrors.officeDates(undefined, { ends_on: MemberFieldMessages.endsBeforeStart });
    const termId = newId(now.getTime());
    await insertOfficeTerm(
      tx,
      {
        id: termId,
        memberId: member.id,
        office: input.office,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        note: input.note,
        createdBy: input.actor.userId,
      },
      now,
    );
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.office_assigned',
      entityType: 'member',
      entityId: member.id,
      after: {
        termId,
        office: input.office,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        ...(input.note ? { note: input.note } : {}),
      },
      at: now,
    });
    return { termId };
  });
}

/** Ends a term on the given day (the last day it counts). An ended term stays ended. */
export async function endOfficeTerm(
  deps: Deps,
  input: { actor: Actor; memberId: string; termId: string; endsOn: string },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const term = await findOfficeTerm(tx, input.termId);
    if (!term || term.memberId !== input.memberId) throw MemberErrors.termNotFound();
    if (term.endsOn !== null && term.endsOn < scope.today) throw MemberErrors.termEnded();
    if (input.endsOn < term.startsOn)
      throw MemberErrors.officeDates(undefined, { ends_on: MemberFieldMessages.endsBeforeStart });
    await setOfficeTermEnd(tx, term.id, input.endsOn);
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.office_ended',
      entityType: 'member',
      entityId: term.memberId,
      before: { termId: term.id, office: term.office, endsOn: term.endsOn },
      after: { termId: term.id, office: term.office, endsOn: input.endsOn },
      at: scope.now,
    });
  });
}
