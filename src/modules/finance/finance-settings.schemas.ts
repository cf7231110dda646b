import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { checkbox, formText } from '../../app/forms.js';
import { ACCOUNT_ROLES, type AccountMap } from './finance-settings.repository.js';

// Input of /finance/settings and the chart of accounts. Messages are message keys.

const account = z
  .string()
  .trim()
  .regex(/^\d{4,6}$/, { message: 'journal.account_format' });

const roleFields = Object.fromEntries(
  ACCOUNT_ROLES.map((r) => [`account_${r}`, account]),
) as Record<`account_${(typeof ACCOUNT_ROLES)[number]}`, typeof account>;

export const financeSettingsSchema = z
  .object({
    fiscal_year_start_month: z
      .string()
      .trim()
      .regex(/^\d{1,2}$/, { message: 'form.invalid_number' })
      .transform(Number)
      .pipe(
        z.number().int().min(1, { message: 'finance_settings.month_range' }).max(12, {
          message: 'finance_settings.month_range',
        }),
      ),
    posted_from: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || isIsoDate(v), { message: 'form.invalid_date' })
      .transform((v) => (v ? v : null)),
    ...roleFields,
  })
  .transform((v) => ({
    fiscalYearStartMonth: v.fiscal_year_start_month,
    postedFrom: v.posted_from,
    accounts: Object.fromEntries(ACCOUNT_ROLES.map((r) => [r, v[`account_${r}`]])) as AccountMap,
  }));
export type FinanceSettingsInput = z.output<typeof financeSettingsSchema>;

export const newAccountSchema = z.object({
  number: account,
  name_nb: formText(120),
  name_en: formText(120),
});

export const editAccountSchema = z.object({
  name_nb: formText(120),
  name_en: formText(120),
  active: checkbox(),
});
