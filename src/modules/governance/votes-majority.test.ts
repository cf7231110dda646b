import { describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_SETTINGS } from './governance-settings.repository.js';
import { majorityFor, tally, YES_NO } from './votes-majority.js';

const s = DEFAULT_GOVERNANCE_SETTINGS;
const run = (
  rule: 'simple' | 'two_thirds' | 'statutes',
  counts: Record<string, number>,
  present: number,
  settings = s,
) => tally({ options: YES_NO, counts, present, majority: majorityFor(rule, settings) });

describe('majorities', () => {
  it('simple majority of votes cast without blanks: more than half, blanks left out', () => {
    expect(run('simple', { yes: 3, no: 2, blank: 4 }, 9)).toMatchObject({
      base: 5,
      required: 3,
      outcome: 'passed',
    });
    expect(run('simple', { yes: 2, no: 3 }, 5).outcome).toBe('failed');
  });

  it('reports a tie as a tie, not passed', () => {
    expect(run('simple', { yes: 3, no: 3, blank: 1 }, 7)).toMatchObject({
      outcome: 'tie',
      winner: null,
    });
    // Nobody voted: no tie, nothing passed.
    expect(run('simple', {}, 7).outcome).toBe('failed');
  });

  it('simple majority of members present when that is the setting', () => {
    const present = { ...s, simpleMajorityBase: 'present' as const };
    // 4 of 9 present is not more than half, even though 4 > 1 of votes cast.
    expect(run('simple', { yes: 4, no: 1 }, 9, present)).toMatchObject({
      base: 9,
      required: 5,
      outcome: 'failed',
    });
  });

  it('two thirds: at least 2/3 of the base', () => {
    expect(run('two_thirds', { yes: 6, no: 3 }, 9)).toMatchObject({
      required: 6,
      outcome: 'passed',
    });
    expect(run('two_thirds', { yes: 5, no: 3 }, 9)).toMatchObject({
      required: 6,
      outcome: 'failed',
    });
  });

  it('statute changes: 3/4 of members present by default', () => {
    // 40 present: 30 needed. Blanks and those who did not vote count against.
    expect(run('statutes', { yes: 30, no: 2, blank: 5 }, 40)).toMatchObject({
      base: 40,
      required: 30,
      outcome: 'passed',
    });
    expect(run('statutes', { yes: 29, no: 0 }, 40)).toMatchObject({ outcome: 'failed' });
    // 3/4 of 6 is 4.5: 5 needed.
    expect(run('statutes', { yes: 4, no: 2 }, 6).required).toBe(5);
    // Base votes cast when configured so, and another fraction.
    const cast = {
      ...s,
      statuteMajorityBase: 'cast' as const,
      statuteMajorityNumerator: 2,
      statuteMajorityDenominator: 3,
    };
    expect(run('statutes', { yes: 20, no: 10, blank: 10 }, 60, cast)).toMatchObject({
      base: 30,
      required: 20,
      outcome: 'passed',
    });
  });

  it('other options: the most votes wins with the majority required, two at the top is a tie', () => {
    const majority = majorityFor('simple', s);
    const options = ['Oslo', 'Bergen', 'blank'];
    expect(tally({ options, counts: { Oslo: 5, Bergen: 3 }, present: 9, majority })).toMatchObject({
      winner: 'Oslo',
      outcome: 'passed',
    });
    expect(tally({ options, counts: { Oslo: 4, Bergen: 4 }, present: 9, majority }).outcome).toBe(
      'tie',
    );
  });
});
