import { defineError } from '../../app/errors.js';

/** Errors of manual postings, reversals and the chart of accounts. */
export const JournalErrors = {
  manualUnbalanced: defineError('finance.manual_unbalanced', 400, {
    nb: 'Bilaget går ikke i balanse: sum debet er kr {debit} og sum kredit kr {credit}, en differanse på kr {difference}.',
    en: 'The entry does not balance: total debit is NOK {debit} and total credit NOK {credit}, a difference of NOK {difference}.',
  }),
  tooFewLines: defineError('finance.too_few_lines', 400, {
    nb: 'Et bilag trenger minst to linjer med beløp.',
    en: 'An entry needs at least two lines with an amount.',
  }),
  accountUnknown: defineError('finance.account_unknown', 400, {
    nb: 'Konto {account} finnes ikke i kontoplanen.',
    en: 'Account {account} is not in the chart of accounts.',
  }),
  accountInactive: defineError('finance.account_inactive', 400, {
    nb: 'Konto {account} er deaktivert og kan ikke posteres på.',
    en: 'Account {account} is deactivated and takes no postings.',
  }),
  accountExists: defineError('finance.account_exists', 409, {
    nb: 'Konto {account} finnes allerede.',
    en: 'Account {account} exists already.',
  }),
  accountInUse: defineError('finance.account_in_use', 400, {
    nb: 'Konto {account} brukes av de automatiske posteringene og kan ikke deaktiveres.',
    en: 'Account {account} is used by the automatic postings and cannot be deactivated.',
  }),
  entryNotFound: defineError('finance.entry_not_found', 404, {
    nb: 'Bilaget finnes ikke.',
    en: 'The entry does not exist.',
  }),
  alreadyReversed: defineError('finance.already_reversed', 409, {
    nb: 'Bilaget er allerede reversert (bilag {number}).',
    en: 'The entry has been reversed already (entry {number}).',
  }),
  reversalNotReversible: defineError('finance.reversal_not_reversible', 400, {
    nb: 'En reversering reverseres ikke. Før heller det opprinnelige bilaget på nytt.',
    en: 'A reversal is not reversed. Post the original entry again instead.',
  }),
  notSetUp: defineError('finance.not_set_up', 503, {
    nb: 'Foreningen er ikke satt opp ennå.',
    en: 'The association has not been set up yet.',
  }),
};
