import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { newId } from '../../app/ids.js';
import { MemberErrors } from './members.errors.js';
import {
  findMembershipFee,
  findMembershipTypeById,
  setMembershipTypeActive,
  upsertMembershipFee,
} from './members.repository.js';
import { scopeOf } from './member-status.js';

type Deps = Pick<AppContext, 'db' | 'clock'>;

/** The years whose fees the board sets: this association year and the next. */
export function feeYears(currentYear: number): [number, number] {
  return [currentYear, currentYear + 1];
}

export async function setMembershipFee(
  deps: Deps,
  input: { actor: Actor; typeId: string; year: number; amountOre: number },
): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const scope = await scopeOf(tx, deps.clock.now());
    const type = await findMembershipTypeById(tx, input.typeId);
    if (!type) throw MemberErrors.typeNotFound();
    if (!feeYears(scope.year.year).includes(input.year)) throw MemberErrors.feeYear();
    const before = await findMembershipFee(tx, type.id, input.year);
    await upsertMembershipFee(tx, {
      id: newId(scope.now.getTime()),
      typeId: type.id,
      year: input.year,
      amountOre: input.amountOre,
    });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'members.fee_set',
      entityType: 'membership_type',
      entityId: type.id,
      before: { code: type.code, year: input.year, amountOre: before },
      after: { code: type.code, year: input.year, amountOre: input.amountOre },
      at: scope.now,
    });
  });
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
