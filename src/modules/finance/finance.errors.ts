import { defineError } from '../../app/errors.js';

/** The journal's own errors; the finance helpers add theirs below (or in their own files). */
export const FinanceErrors = {
  unbalanced: defineError('finance.unbalanced', 400, {
    nb: 'Bilaget går ikke i balanse: sum debet må være lik sum kredit, og det trengs minst to linjer.',
    en: 'The entry does not balance: total debit must equal total credit, with at least two lines.',
  }),
  lineOneSided: defineError('finance.line_one_sided', 400, {
    nb: 'Hver linje skal ha enten debet eller kredit, ikke begge og ikke ingen.',
    en: 'Each line takes either a debit or a credit, not both and not neither.',
  }),
  badAmount: defineError('finance.bad_amount', 400, {
    nb: 'Beløp må være hele øre og ikke negative.',
    en: 'Amounts must be whole øre and not negative.',
  }),
  badAccount: defineError('finance.bad_account', 400, {
    nb: 'Kontonummeret må være 4 til 6 siffer.',
    en: 'The account number must be 4 to 6 digits.',
  }),
};
