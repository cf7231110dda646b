import type { GovernanceSettings } from './governance-settings.repository.js';
import type { MajorityRule, VoteOutcome } from './votes.tables.js';

/** The blank option: counted as cast, never in the base "cast without blanks". */
export const BLANK = 'blank';
export const YES_NO = ['yes', 'no', BLANK] as const;

export type Majority = {
  rule: MajorityRule;
  numerator: number;
  denominator: number;
  base: 'present' | 'cast';
};

/** The majority a rule needs, from the association's settings. */
export function majorityFor(rule: MajorityRule, s: GovernanceSettings): Majority {
  switch (rule) {
    case 'simple':
      return { rule, numerator: 1, denominator: 2, base: s.simpleMajorityBase };
    case 'two_thirds':
      return { rule, numerator: 2, denominator: 3, base: s.simpleMajorityBase };
    case 'statutes':
      return {
        rule,
        numerator: s.statuteMajorityNumerator,
        denominator: s.statuteMajorityDenominator,
        base: s.statuteMajorityBase,
      };
  }
}

export type Tally = {
  counts: Record<string, number>;
  /** Every ballot, blanks included. */
  cast: number;
  blank: number;
  present: number;
  /** The number the majority is counted of: present, or cast without blanks. */
  base: number;
  /** The least number of votes for that passes (yes/no), or wins (other options). */
  required: number;
  /** yes/no: 'yes' when passed; other options: the option with most votes, unless a tie. */
  winner: string | null;
  outcome: VoteOutcome;
};

/**
 * The result of a vote, computed from the counts (never typed in). A simple majority is
 * more than half of the base; a qualified one (2/3, 3/4) at least that fraction. With
 * yes/no options, equal yes and no is a tie (and not passed); with other options, two
 * options sharing the most votes are a tie.
 */
export function tally(opts: {
  options: readonly string[];
  counts: Record<string, number>;
  present: number;
  majority: Majority;
}): Tally {
  const counts: Record<string, number> = {};
  for (const o of opts.options) counts[o] = opts.counts[o] ?? 0;
  const cast = Object.values(counts).reduce((a, b) => a + b, 0);
  const blank = counts[BLANK] ?? 0;
  const base = opts.majority.base === 'present' ? opts.present : cast - blank;
  const { numerator: n, denominator: d } = opts.majority;
  // Simple majority (1/2): strictly more than half. Others: at least the fraction.
  const strict = n * 2 === d;
  const required = strict ? Math.floor((base * n) / d) + 1 : Math.ceil((base * n) / d);
  const passes = (votes: number) => votes > 0 && votes >= required;

  const isYesNo = opts.options.includes('yes') && opts.options.includes('no');
  if (isYesNo) {
    const yes = counts['yes'] ?? 0;
    const no = counts['no'] ?? 0;
    if (passes(yes))
      return {
        counts,
        cast,
        blank,
        present: opts.present,
        base,
        required,
        winner: 'yes',
        outcome: 'passed',
      };
    const outcome: VoteOutcome = yes === no && cast > 0 ? 'tie' : 'failed';
    return { counts, cast, blank, present: opts.present, base, required, winner: null, outcome };
  }
  const ranked = opts.options
    .filter((o) => o !== BLANK)
    .map((o) => [o, counts[o] ?? 0] as const)
    .sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first || first[1] === 0)
    return {
      counts,
      cast,
      blank,
      present: opts.present,
      base,
      required,
      winner: null,
      outcome: 'failed',
    };
  if (second && second[1] === first[1])
    return {
      counts,
      cast,
      blank,
      present: opts.present,
      base,
      required,
      winner: null,
      outcome: 'tie',
    };
  return {
    counts,
    cast,
    blank,
    present: opts.present,
    base,
    required,
    winner: passes(first[1]) ? first[0] : null,
    outcome: passes(first[1]) ? 'passed' : 'failed',
  };
}
