import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { formText } from '../../app/forms.js';
import { parseKroner } from '../../app/money.js';
import { compactDigits, isValidBankAccount } from '../../app/norwegian.js';

// Input of the expense pages and the API. Messages are message keys (expenses.messages.ts),
// so the forms and the API say the same thing in both languages.

/** Why an amount in kroner is refused, as a message key; null when it is fine. */
export function kronerIssue(input: string, opts: { allowZero: boolean }): string | null {
  const v = input.trim();
  const ore = parseKroner(v);
  if (ore === null) {
    if (/^-/.test(v.replace(/^kr\.?\s*/i, ''))) return 'expenses.amount_negative';
    if (/^\d[\d\s]*[.,]\d{3,}$/.test(v)) return 'expenses.amount_decimals';
    return 'expenses.amount_invalid';
  }
  return ore === 0 && !opts.allowZero ? 'expenses.amount_zero' : null;
}

const kroner = (allowZero: boolean) =>
  z
    .string()
    .trim()
    .min(1)
    .transform((v, ctx) => {
      const issue = kronerIssue(v, { allowZero });
      if (issue) {
        ctx.addIssue({ code: 'custom', message: issue });
        return z.NEVER;
      }
      return parseKroner(v)!;
    });

const optionalKroner = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return 0;
    const issue = kronerIssue(v, { allowZero: true });
    if (issue) {
      ctx.addIssue({ code: 'custom', message: issue });
      return z.NEVER;
    }
    return parseKroner(v)!;
  });

/** A date as a date field sends it (2027-01-05), or as people type it (5.1.2027). */
export function parseDate(v: string): string | null {
  const s = v.trim();
  if (isIsoDate(s)) return s;
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

const dateField = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx) => {
    const d = parseDate(v);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: 'form.invalid_date' });
      return z.NEVER;
    }
    return d;
  });

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => {
    if (!v) return null;
    const d = parseDate(v);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: 'form.invalid_date' });
      return z.NEVER;
    }
    return d;
  });

/** A Norwegian bank account: 11 digits (spaces and dots allowed), MOD11 check digit. */
export const bankAccountField = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx) => {
    const digits = compactDigits(v);
    if (!/^\d{11}$/.test(digits)) {
      ctx.addIssue({ code: 'custom', message: 'expenses.account_format' });
      return z.NEVER;
    }
    if (!isValidBankAccount(digits)) {
      ctx.addIssue({ code: 'custom', message: 'expenses.account_check_digit' });
      return z.NEVER;
    }
    return digits;
  });

const category = z
  .string()
  .trim()
  .regex(/^\d{4,6}$/, { message: 'form.invalid_choice' });

export const claimFormSchema = z
  .object({
    spent_on: dateField,
    amount: kroner(false),
    vat: optionalKroner,
    description: formText(500),
    category,
    payee_account: bankAccountField,
  })
  .superRefine((v, ctx) => {
    if (v.vat > v.amount)
      ctx.addIssue({ code: 'custom', path: ['vat'], message: 'expenses.vat_above_amount' });
  });
export type ClaimInput = {
  spentOn: string;
  amountOre: number;
  vatOre: number;
  description: string;
  category: string;
  payeeAccount: string;
};

export function claimInputOf(form: z.output<typeof claimFormSchema>): ClaimInput {
  return {
    spentOn: form.spent_on,
    amountOre: form.amount,
    vatOre: form.vat,
    description: form.description,
    category: form.category,
    payeeAccount: form.payee_account,
  };
}

export const reasonSchema = z.object({ reason: formText(500) });
export const paySchema = z.object({ paid_on: dateField, reference: formText(100) });

export const SERIES_INTERVALS = ['monthly', 'quarterly', 'yearly'] as const;
export type SeriesInterval = (typeof SERIES_INTERVALS)[number];

export const seriesFormSchema = z
  .object({
    description: formText(500),
    amount: kroner(false),
    category,
    payee_account: bankAccountField,
    interval: z.enum(SERIES_INTERVALS),
    starts_on: dateField,
    ends_on: optionalDate,
  })
  .superRefine((v, ctx) => {
    if (v.ends_on && v.ends_on < v.starts_on)
      ctx.addIssue({
        code: 'custom',
        path: ['ends_on'],
        message: 'expenses.series.end_before_start',
      });
  });

// --- the API (JSON, camelCase, amounts in øre) ----------------------------------------

const apiOre = z
  .number({ message: 'expenses.amount_invalid' })
  .int({ message: 'expenses.amount_decimals' })
  .max(99_999_999_999, { message: 'expenses.amount_invalid' });

export const claimApiSchema = z
  .object({
    spentOn: z.string().refine((v) => isIsoDate(v), { message: 'form.invalid_date' }),
    amountOre: apiOre.superRefine((v, ctx) => {
      if (v < 0) ctx.addIssue({ code: 'custom', message: 'expenses.amount_negative' });
      else if (v === 0) ctx.addIssue({ code: 'custom', message: 'expenses.amount_zero' });
    }),
    vatOre: apiOre.min(0, { message: 'expenses.amount_negative' }).optional().default(0),
    description: formText(500),
    category,
    payeeAccount: z.string().pipe(bankAccountField),
    receipt: z.object({
      filename: z.string().trim().min(1).max(200),
      /** The file's bytes, base64-encoded (standard alphabet, padding optional). */
      contentBase64: z.string().min(1),
    }),
  })
  .superRefine((v, ctx) => {
    if (v.vatOre > v.amountOre)
      ctx.addIssue({ code: 'custom', path: ['vatOre'], message: 'expenses.vat_above_amount' });
  });

export const reasonApiSchema = z.object({ reason: formText(500) });
export const payApiSchema = z.object({
  paidOn: z.string().refine((v) => isIsoDate(v), { message: 'form.invalid_date' }),
  reference: formText(100),
});

/** Strict base64 → bytes; null when the text is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const s = text.replace(/\s/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) return null;
  return Buffer.from(s, 'base64');
}
