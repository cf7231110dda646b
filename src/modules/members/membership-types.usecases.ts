import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { MemberErrors } from './members.errors.js';
import { findMembershipTypeById, setMembershipTypeActive } from './members.repository.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** The years whose fees the board sets: this association year and the next. */
export function feeYears(currentYear: number): [number, number] {
  return [currentYear, currentYear + 1];
}

/** An inactive type is not offered to applicants; existing members keep it. */
export async function changeMembershipTypeActive(
  deps: Deps,
  input: { actor: Actor; typeId: string; active: boolean },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const now = deps.clock.now();
    const type = await findMembershipTypeById(tx, input.typeId);
    if (!type) throw MemberErrors.typeNotFound();
    if (type.active === input.active) return;
    await setMembershipTypeActive(tx, type.id, input.active);
    await recordAudit(tx, {
      actor: input.actor,
      action: input.active ? 'members.type_activated' : 'members.type_deactivated',
      entityType: 'membership_type',
      entityId: type.id,
      before: { code: type.code, active: type.active },
      after: { code: type.code, active: input.active },
      at: now,
    });
  });
}
