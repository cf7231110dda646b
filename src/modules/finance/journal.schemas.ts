import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { formText, optionalText } from '../../app/forms.js';
import { parseKroner } from '../../app/money.js';
import type { JournalSourceKind } from './finance.tables.js';

// Input of the journal pages and the API. Messages are message keys (journal.messages.ts).

/** Rows of the manual posting form (it works without JavaScript, so the rows are fixed). */
export const FORM_LINES = 8;
/** Most lines one manual entry takes (the API may send more than the form's rows). */
export const MAX_LINES = 50;

export const SOURCE_KINDS = [
  'invoice',
  'credit_note',
  'payment',
  'payment_reversal',
  'credit_transfer',
  'expense',
  'expense_payment',
  'manual',
  'reversal',
] as const satisfies readonly JournalSourceKind[];

export const accountNumber = z
  .string()
  .trim()
  .regex(/^\d{4,6}$/, { message: 'journal.account_format' });

export const dateField = z
  .string()
  .trim()
  .refine((v) => isIsoDate(v), { message: 'form.invalid_date' });

export type ManualLine = {
  account: string;
  debitOre: number;
  creditOre: number;
  description: string | null;
  /** The form's row the line came from (for messages beside its fields). */
  row?: number;
};
export type ManualEntryInput = { postedOn: string; description: string; lines: ManualLine[] };

/** Amount in kroner as typed; empty is zero. Null when it is not an amount. */
function kroner(v: string | undefined): number | null {
  const s = (v ?? '').trim();
  if (s === '') return 0;
  return parseKroner(s);
}

/**
 * The form: date, description, and rows account_N / debit_N / credit_N / text_N. Rows
 * left empty are ignored; every other row needs an account and exactly one amount.
 */
export const manualEntryFormSchema = z
  .object({ date: dateField, description: formText(200) })
  .catchall(z.string())
  .transform((v, ctx): ManualEntryInput => {
    const lines: ManualLine[] = [];
    for (let i = 1; i <= MAX_LINES; i++) {
      const account = (v[`account_${i}`] ?? '').trim();
      const debitText = v[`debit_${i}`] ?? '';
      const creditText = v[`credit_${i}`] ?? '';
      const text = (v[`text_${i}`] ?? '').trim();
      if (!account && !debitText.trim() && !creditText.trim() && !text) continue;
      const debit = kroner(debitText);
      const credit = kroner(creditText);
      if (!/^\d{4,6}$/.test(account))
        ctx.addIssue({ code: 'custom', path: [`account_${i}`], message: 'journal.account_format' });
      if (debit === null)
        ctx.addIssue({ code: 'custom', path: [`debit_${i}`], message: 'journal.amount_invalid' });
      if (credit === null)
        ctx.addIssue({ code: 'custom', path: [`credit_${i}`], message: 'journal.amount_invalid' });
      if (debit !== null && credit !== null && debit > 0 === credit > 0)
        ctx.addIssue({ code: 'custom', path: [`debit_${i}`], message: 'journal.line_one_side' });
      if (text.length > 200)
        ctx.addIssue({ code: 'custom', path: [`text_${i}`], message: 'journal.text_too_long' });
      lines.push({
        account,
        debitOre: debit ?? 0,
        creditOre: credit ?? 0,
        description: text || null,
        row: i,
      });
    }
    if (lines.length < 2)
      ctx.addIssue({ code: 'custom', path: ['account_1'], message: 'journal.too_few_lines' });
    return { postedOn: v.date, description: v.description, lines };
  });

const oreField = z.number().int().min(0).max(100_000_000_000).optional();

/** The API: amounts in øre. */
export const manualEntryApiSchema = z
  .object({
    date: dateField,
    description: formText(200),
    lines: z
      .array(
        z.object({
          account: accountNumber,
          debit_ore: oreField,
          credit_ore: oreField,
          description: optionalText(200),
        }),
      )
      .min(2, { message: 'journal.too_few_lines' })
      .max(MAX_LINES),
  })
  .superRefine((v, ctx) => {
    v.lines.forEach((l, i) => {
      if ((l.debit_ore ?? 0) > 0 === (l.credit_ore ?? 0) > 0)
        ctx.addIssue({ code: 'custom', path: ['lines', i], message: 'journal.line_one_side' });
    });
  })
  .transform((v): ManualEntryInput => ({
    postedOn: v.date,
    description: v.description,
    lines: v.lines.map((l) => ({
      account: l.account,
      debitOre: l.debit_ore ?? 0,
      creditOre: l.credit_ore ?? 0,
      description: l.description,
    })),
  }));

/** Reversing an entry: the date of the reversal (default today) and why. */
export const reverseSchema = z.object({
  date: z.preprocess((v) => (v === '' ? undefined : v), dateField.optional()),
  reason: optionalText(200),
});

const blank = (v: unknown) => (v === '' || v === null ? undefined : v);

export const journalFilterSchema = z.object({
  year: z
    .preprocess(blank, z.coerce.number().int().min(1900).max(2999).optional())
    .catch(undefined),
  account: z.preprocess(blank, accountNumber.optional()).catch(undefined),
  kind: z.preprocess(blank, z.enum(SOURCE_KINDS).optional()).catch(undefined),
  q: z.preprocess(blank, z.string().trim().max(100).optional()).catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
export type JournalFilter = z.output<typeof journalFilterSchema>;

export const journalApiQuerySchema = journalFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).catch(100),
});

export const yearQuerySchema = z.object({
  year: z
    .preprocess(blank, z.coerce.number().int().min(1900).max(2999).optional())
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});
