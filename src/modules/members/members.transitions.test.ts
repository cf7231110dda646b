import { describe, expect, it } from 'vitest';
import { MEMBER_STATUSES } from './members.tables.js';
import {
  boardTargets,
  isAllowedTransition,
  reasonRequired,
  startsNewMembership,
} from './members.transitions.js';

describe('membership status transitions', () => {
  it('lets the board make exactly the transitions in the table', () => {
    const allowed = MEMBER_STATUSES.flatMap((from) =>
      MEMBER_STATUSES.filter((to) => isAllowedTransition(from, to, 'board')).map(
        (to) => `${from}→${to}`,
      ),
    );
    expect(allowed.sort()).toEqual(
      [
        'applied→active',
        'applied→refused',
        'active→lapsed',
        'active→suspended',
        'active→resigned',
        'active→excluded',
        'lapsed→active',
        'lapsed→resigned',
        'lapsed→excluded',
        'suspended→active',
        'suspended→resigned',
        'suspended→excluded',
        'resigned→applied',
        'resigned→active',
        'refused→applied',
        'excluded→active',
      ].sort(),
    );
  });

  it('keeps exclusion final except for reinstatement by the board', () => {
    for (const to of MEMBER_STATUSES) {
      expect(isAllowedTransition('excluded', to, 'application')).toBe(false);
      expect(isAllowedTransition('excluded', to, 'resignation')).toBe(false);
      expect(isAllowedTransition('excluded', to, 'approval')).toBe(false);
    }
    expect(boardTargets('excluded')).toEqual(['active']);
    expect(reasonRequired('excluded', 'active')).toBe(true);
  });

  it('limits decisions on applications, self-service resignation and re-application', () => {
    expect(isAllowedTransition('applied', 'active', 'approval')).toBe(true);
    expect(isAllowedTransition('applied', 'refused', 'approval')).toBe(true);
    expect(isAllowedTransition('active', 'refused', 'approval')).toBe(false);
    expect(isAllowedTransition('active', 'resigned', 'resignation')).toBe(true);
    expect(isAllowedTransition('applied', 'resigned', 'resignation')).toBe(false);
    expect(isAllowedTransition('resigned', 'resigned', 'resignation')).toBe(false);
    for (const from of ['resigned', 'lapsed', 'refused'] as const) {
      expect(isAllowedTransition(from, 'applied', 'application')).toBe(true);
      expect(isAllowedTransition(from, 'active', 'application')).toBe(true);
    }
    expect(isAllowedTransition('active', 'applied', 'application')).toBe(false);
  });

  it('asks for a reason where the member must be told why', () => {
    expect(reasonRequired('active', 'suspended')).toBe(true);
    expect(reasonRequired('active', 'excluded')).toBe(true);
    expect(reasonRequired('active', 'lapsed')).toBe(true);
    expect(reasonRequired('applied', 'refused')).toBe(true);
    expect(reasonRequired('active', 'resigned')).toBe(false);
    expect(reasonRequired('suspended', 'active')).toBe(false);
  });

  it('starts a new membership only when entering from outside', () => {
    expect(startsNewMembership(null)).toBe(true);
    expect(startsNewMembership('applied')).toBe(true);
    expect(startsNewMembership('resigned')).toBe(true);
    expect(startsNewMembership('suspended')).toBe(false);
    expect(startsNewMembership('lapsed')).toBe(false);
  });
});
