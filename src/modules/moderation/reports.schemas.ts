import { z } from 'zod';
import { formText, optionalText } from '../../app/forms.js';
import { DEFAULT_HEARING_DAYS } from './hearings.usecases.js';

const optionalUrl = optionalText(2000).refine((v) => v === null || /^https?:\/\/\S+$/i.test(v), {
  message: 'moderation.report.url_invalid',
});

export const reportSchema = z.object({
  reported: optionalText(100),
  service_id: optionalText(40),
  content_url: optionalUrl,
  description: z
    .string()
    .trim()
    .min(1, { message: 'moderation.report.description_required' })
    .max(10_000),
  aup_clause: optionalText(200),
});

export const openCaseSchema = z.object({
  summary: formText(300),
  member: optionalText(100),
  also: optionalText(200),
});

export const addToCaseSchema = z.object({ case_id: formText(40) });

export const dismissSchema = z.object({ reason: formText(2000) });

export const assignSchema = z.object({ assignee: formText(40) });

export const hearingSchema = z.object({
  accusation: formText(10_000),
  aup_clause: optionalText(200),
  deadline_days: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? Number(v) : DEFAULT_HEARING_DAYS))
    .pipe(z.number().int().min(1).max(90)),
});

export const answerSchema = z.object({ answer: formText(20_000) });
