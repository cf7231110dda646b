import type { MemberStatus } from './members.tables.js';

/**
 * How a status change comes about. The board changes status on the member page or
 * decides applications; a person applies or resigns for themselves.
 */
export type TransitionVia = 'board' | 'approval' | 'application' | 'resignation';

/** The board's table of allowed transitions. Excluded is final, save reinstatement. */
export const BOARD_TRANSITIONS: Readonly<Record<MemberStatus, readonly MemberStatus[]>> = {
  applied: ['active', 'refused'],
  active: ['lapsed', 'suspended', 'resigned', 'excluded'],
  lapsed: ['active', 'resigned', 'excluded'],
  suspended: ['active', 'resigned', 'excluded'],
  resigned: ['applied', 'active'],
  refused: ['applied'],
  excluded: [],
};

/** Only the board may take an excluded member back (reinstatement, e.g. after an appeal). */
export const REINSTATEMENT = { from: 'excluded', to: 'active' } as const;

/** Who may apply again: their membership ended (the row and member number are reused). */
export const MAY_APPLY_AGAIN: readonly MemberStatus[] = ['resigned', 'lapsed', 'refused'];

/** Who may resign on their own. */
export const MAY_RESIGN: readonly MemberStatus[] = ['active', 'lapsed', 'suspended'];

/** Transitions that must carry a written reason, which the member is told. */
export function reasonRequired(from: MemberStatus, to: MemberStatus): boolean {
  if (to === 'refused' || to === 'suspended' || to === 'excluded' || to === 'lapsed') return true;
  return from === REINSTATEMENT.from && to === REINSTATEMENT.to;
}

export function isAllowedTransition(
  from: MemberStatus,
  to: MemberStatus,
  via: TransitionVia,
): boolean {
  switch (via) {
    case 'board':
      return (
        BOARD_TRANSITIONS[from].includes(to) ||
        (from === REINSTATEMENT.from && to === REINSTATEMENT.to)
      );
    case 'approval':
      return from === 'applied' && (to === 'active' || to === 'refused');
    case 'application':
      return MAY_APPLY_AGAIN.includes(from) && (to === 'applied' || to === 'active');
    case 'resignation':
      return MAY_RESIGN.includes(from) && to === 'resigned';
  }
}

/** The statuses the board's form offers for a member now in `from`. */
export function boardTargets(from: MemberStatus): MemberStatus[] {
  return from === REINSTATEMENT.from ? [REINSTATEMENT.to] : [...BOARD_TRANSITIONS[from]];
}

/** A new membership starts (joined_on is set) when entering active from outside. */
export function startsNewMembership(from: MemberStatus | null): boolean {
  return from === null || from === 'applied' || from === 'resigned' || from === 'refused';
}
