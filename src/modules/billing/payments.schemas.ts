import { z } from 'zod';
import { optionalText } from '../../app/forms.js';
import { isIsoDate } from '../../app/dates.js';
import { parseKroner } from '../../app/money.js';

// Input of the payment pages, the API and the CLI. Messages are message keys
// (payments.messages.ts), so forms and the API say the same in both languages.

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

/**
 * An amount in kroner as people write it ("600", "600,50", "1 234.50", "kr 600"),
 * parsed to øre without floating point. Refused with a reason: a minus sign, a third
 * decimal ("12,345" — at most øre), anything else that is not an amount, and zero.
 */
export function amountIssue(input: string): string | null {
  const v = input.trim();
  const ore = parseKroner(v);
  if (ore === null) {
    if (/^-/.test(v.replace(/^kr\.?\s*/i, ''))) return 'payments.amount_negative';
    if (/^\d[\d\s]*[.,]\d{3,}$/.test(v)) return 'payments.amount_decimals';
    return 'payments.amount_invalid';
  }
  return ore === 0 ? 'payments.amount_zero' : null;
}

export const amountField = z
  .string()
  .trim()
  .min(1)
  .transform((v, ctx) => {
    const issue = amountIssue(v);
    if (issue) {
      ctx.addIssue({ code: 'custom', message: issue });
      return z.NEVER;
    }
    return parseKroner(v)!;
  });

/** A member or invoice number typed into a form; empty means "not given". */
const numberField = z.preprocess(
  (v) => (typeof v === 'string' ? blank(v.trim()) : blank(v)),
  z
    .union([
      z.number().int().min(1).max(999_999_999),
      z
        .string()
        .regex(/^\d{1,9}$/, { message: 'payments.number_invalid' })
        .transform(Number)
        .pipe(z.number().int().min(1, { message: 'payments.number_invalid' })),
    ])
    .optional(),
);

/** A KID as typed (spaces allowed); the check digit is checked where it is looked up. */
const kidField = z.preprocess(
  (v) => (typeof v === 'string' ? blank(v.replace(/\s/g, '')) : blank(v)),
  z
    .string()
    .regex(/^\d{2,25}$/, { message: 'payments.kid_format' })
    .optional(),
);

const dateField = z
  .string()
  .trim()
  .refine((v) => isIsoDate(v), { message: 'form.invalid_date' });

/** Manual registration: exactly one of invoice number, KID or member number (credit). */
export const registerPaymentSchema = z
  .object({
    invoice_number: numberField,
    kid: kidField,
    member_number: numberField,
    amount: amountField,
    booking_date: dateField,
    payer_name: optionalText(140),
    reference: optionalText(60),
    note: optionalText(500),
  })
  .superRefine((v, ctx) => {
    const given = [v.invoice_number, v.kid, v.member_number].filter((x) => x !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['invoice_number'], message: 'payments.target_one' });
    }
  });
export type RegisterPaymentInput = z.output<typeof registerPaymentSchema>;

/** The same over the API, where an amount may also come as whole øre. */
export const registerPaymentApiSchema = z
  .object({
    invoice_number: numberField,
    kid: kidField,
    member_number: numberField,
    amount: amountField.optional(),
    amount_ore: z.number().int().min(1).max(100_000_000_000).optional(),
    booking_date: dateField,
    payer_name: optionalText(140),
    reference: optionalText(60),
    note: optionalText(500),
  })
  .superRefine((v, ctx) => {
    const given = [v.invoice_number, v.kid, v.member_number].filter((x) => x !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['invoice_number'], message: 'payments.target_one' });
    }
    if ((v.amount === undefined) === (v.amount_ore === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'payments.amount_one' });
    }
  })
  .transform(({ amount, amount_ore, ...rest }) => ({ ...rest, amount: (amount ?? amount_ore)! }));

/** Matching a queued payment by hand: to an invoice, or to a member's credit. */
export const matchPaymentSchema = z
  .object({ invoice_number: numberField, member_number: numberField })
  .superRefine((v, ctx) => {
    if ((v.invoice_number === undefined) === (v.member_number === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['invoice_number'], message: 'payments.match_one' });
    }
  });
export type MatchPaymentInput = z.output<typeof matchPaymentSchema>;

/** The bank returned a payment (no file carries it): why, and when the bank booked it. */
export const reversePaymentSchema = z.object({
  reason: z.string().trim().min(1, { message: 'payments.reverse_reason_required' }).max(500),
  booking_date: z.preprocess(blank, dateField.optional()),
});
export type ReversePaymentInput = z.output<typeof reversePaymentSchema>;

export const ignorePaymentSchema = z.object({
  reason: z.string().trim().min(1, { message: 'payments.ignore_reason_required' }).max(500),
});

export const PAYMENT_STATUSES = ['matched', 'unmatched', 'ignored'] as const;
export const PAYMENT_SOURCES = ['manual', 'ocr', 'camt.053', 'camt.054'] as const;

const optionalFilter = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional());

/** The list's filters (query string of the page, the CSV export and the API). */
export const paymentFilterSchema = z.object({
  status: optionalFilter(z.enum(PAYMENT_STATUSES)),
  source: optionalFilter(z.enum(PAYMENT_SOURCES)),
  from: optionalFilter(dateField),
  to: optionalFilter(dateField),
  member: optionalFilter(
    z
      .string()
      .trim()
      .regex(/^\d{1,9}$/, { message: 'payments.number_invalid' })
      .transform(Number),
  ),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type PaymentFilterQuery = z.output<typeof paymentFilterSchema>;

export const paymentApiQuerySchema = paymentFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).catch(100),
});

/** The import form: "check" (dry run, the default) or "commit"; and the file checked. */
export const importFormSchema = z.object({
  mode: z
    .string()
    .optional()
    .transform((v) => (v === 'commit' ? 'commit' : 'check')),
  checked_sha256: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  ),
});

export const importApiQuerySchema = z.object({
  dry_run: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v !== 'false'),
});
