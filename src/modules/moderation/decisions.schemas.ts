import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { checkbox, formText, optionalText } from '../../app/forms.js';
import { DECISION_KINDS } from './moderation.tables.js';

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || isIsoDate(v), { message: 'moderation.decision.invalid_date' });

export const decisionSchema = z.object({
  kind: z.enum(DECISION_KINDS),
  urgent: checkbox(),
  reasons: formText(5000),
  clause: formText(200),
  ends_on: optionalDate,
});

export const confirmSchema = z.object({});

export const liftSchema = z.object({ note: formText(1000) });

export const appealSchema = z.object({
  decision: z.string().trim().min(1).max(40),
  text: formText(5000),
});

export const appealOutcomeSchema = z.object({
  outcome: z.enum(['upheld', 'rejected']),
  note: optionalText(1000),
});
