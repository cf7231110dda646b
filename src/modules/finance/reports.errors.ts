import { defineError } from '../../app/errors.js';

/** Budget, reports, exports and publishing. */
export const ReportsErrors = {
  budgetLocked: defineError('finance.budget_locked', 409, {
    nb: 'Budsjettet er vedtatt og låst. Lag en ny versjon for å endre det.',
    en: 'The budget is adopted and locked. Make a new version to change it.',
  }),
  budgetNotFound: defineError('finance.budget_not_found', 404, {
    nb: 'Det finnes ikke noe budsjett for dette året.',
    en: 'There is no budget for this year.',
  }),
  budgetEmpty: defineError('finance.budget_empty', 409, {
    nb: 'Et budsjett uten linjer kan ikke vedtas.',
    en: 'A budget without lines cannot be adopted.',
  }),
  budgetNotAdopted: defineError('finance.budget_not_adopted', 409, {
    nb: 'Budsjettet er ikke vedtatt, så det er allerede et utkast.',
    en: 'The budget is not adopted, so it is already a draft.',
  }),
  budgetTargetNotEmpty: defineError('finance.budget_target_not_empty', 409, {
    nb: 'Budsjettet for {year} har allerede linjer. Kopiering gjøres bare til et tomt budsjett.',
    en: 'The budget for {year} already has lines. Copying only fills an empty budget.',
  }),
  budgetSourceMissing: defineError('finance.budget_source_missing', 404, {
    nb: 'Det finnes ikke noe budsjett for {year} å kopiere fra.',
    en: 'There is no budget for {year} to copy from.',
  }),
  badRange: defineError('finance.bad_range', 400, {
    nb: 'Velg et gyldig år, eller en periode der fra-dato ikke er etter til-dato.',
    en: 'Choose a valid year, or a range whose start is not after its end.',
  }),
  notPublished: defineError('finance.not_published', 404, {
    nb: 'Ingenting er publisert for dette året.',
    en: 'Nothing is published for this year.',
  }),
};
