import { z } from 'zod';
import { checkbox, optionalText } from '../../app/forms.js';
import { parseKroner } from '../../app/money.js';
import { compactDigits, isValidBankAccount } from '../../app/norwegian.js';

/** The longest KID the bank files carry. */
export const MAX_KID_LENGTH = 25;
/** Norwegian rule: a reminder fee may be charged only 14 days after the due date at the earliest. */
export const MIN_DAYS_BEFORE_REMINDER_FEE = 14;

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .regex(/^\d+$/, { message: 'form.invalid_number' })
    .transform(Number)
    .pipe(
      z.number().int().min(min, { message: 'invoices.settings.out_of_range' }).max(max, {
        message: 'invoices.settings.out_of_range',
      }),
    );

/** 11 digits with a MOD11 check digit; people may type spaces or dots ("1234.56.78903"). */
export const bankAccountField = z
  .string()
  .optional()
  .transform((v) => (v ? compactDigits(v) : ''))
  .refine((v) => v === '' || isValidBankAccount(v), {
    message: 'invoices.settings.bank_account_invalid',
  })
  .transform((v) => (v === '' ? null : v));

const kronerField = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return 0;
    const ore = parseKroner(v);
    if (ore === null) {
      ctx.addIssue({ code: 'custom', message: 'invoices.amount_invalid' });
      return z.NEVER;
    }
    return ore;
  });

export const billingSettingsSchema = z
  .object({
    bank_account: bankAccountField,
    due_days: wholeNumber(1, 180),
    kid_member_digits: wholeNumber(1, 12),
    kid_invoice_digits: wholeNumber(1, 12),
    grace_days: wholeNumber(0, 365),
    reminder_after_days: wholeNumber(1, 365),
    reminder_fee: kronerField,
    pro_rata: checkbox(),
    invoice_note: optionalText(500),
  })
  .superRefine((v, ctx) => {
    if (v.kid_member_digits + v.kid_invoice_digits + 1 > MAX_KID_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: ['kid_invoice_digits'],
        message: 'invoices.settings.kid_too_long',
      });
    if (v.reminder_fee > 0 && v.reminder_after_days < MIN_DAYS_BEFORE_REMINDER_FEE)
      ctx.addIssue({
        code: 'custom',
        path: ['reminder_after_days'],
        message: 'invoices.settings.reminder_fee_days',
      });
  });
export type BillingSettingsInput = z.output<typeof billingSettingsSchema>;
