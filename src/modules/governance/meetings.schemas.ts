import { z } from 'zod';
import { checkbox, formText, optionalText } from '../../app/forms.js';
import { emailField } from '../accounts/accounts.schemas.js';
import { isIsoDate } from '../../app/dates.js';
import {
  MEETING_FORMATS,
  MEETING_KINDS,
  RECOMMENDATIONS,
  SUBMITTED_PROPOSAL_KINDS,
} from './governance.tables.js';

export const dateField = z.string().trim().refine(isIsoDate, { message: 'form.invalid_date' });

const timeField = z
  .string()
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'governance.time_invalid' });

const urlField = z
  .string()
  .trim()
  .max(500)
  .optional()
  .transform((v) => (v ? v : null))
  .refine((v) => v === null || /^https?:\/\/[^\s]+$/i.test(v), {
    message: 'governance.url_invalid',
  });

/** A one-time key put in the form when it is shown, so a double submit is recognised. */
export const requestKeyField = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'form.invalid' });

export const scheduleSchema = z
  .object({
    kind: z.enum(MEETING_KINDS),
    title: optionalText(160),
    date: dateField,
    time: timeField,
    format: z.enum(MEETING_FORMATS),
    place: optionalText(300),
    url: urlField,
    description: optionalText(4000),
    items: optionalText(4000),
    request_key: requestKeyField,
  })
  .superRefine((v, ctx) => {
    if (v.format !== 'online' && !v.place)
      ctx.addIssue({ code: 'custom', path: ['place'], message: 'governance.place_required' });
    if (v.format !== 'physical' && !v.url)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'governance.url_required' });
  });
export type ScheduleInput = z.output<typeof scheduleSchema>;

export const agendaItemSchema = z.object({
  title: formText(200),
  description: optionalText(2000),
});

export const moveSchema = z.object({ direction: z.enum(['up', 'down']) });

export const cancelSchema = z.object({ reason: formText(1000) });

export const proposalSchema = z
  .object({
    kind: z.enum(SUBMITTED_PROPOSAL_KINDS),
    title: formText(200),
    body: formText(20000),
    amendment_text: z
      .string()
      .max(200000)
      .optional()
      .transform((v) => (v?.trim() ? v : null)),
    amendment_locale: z.enum(['nb', 'en']).optional().default('nb'),
    request_key: requestKeyField,
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'general' && !v.amendment_text)
      ctx.addIssue({ code: 'custom', path: ['amendment_text'], message: 'form.required' });
  });
export type ProposalInput = z.output<typeof proposalSchema>;

export const proposalEditSchema = z.object({
  title: formText(200),
  body: formText(20000),
  amendment_text: z
    .string()
    .max(200000)
    .optional()
    .transform((v) => (v?.trim() ? v : null)),
});

export const lateProposalSchema = z
  .object({
    member_number: z.coerce.number().int().min(1),
    reason: formText(2000),
  })
  .and(proposalSchema);
export type LateProposalInput = z.output<typeof lateProposalSchema>;

export const recommendationSchema = z.object({
  recommendation: z.enum(RECOMMENDATIONS),
  recommendation_text: optionalText(4000),
});

/** A number of days; an empty field is missing, not 0. */
const days = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int().min(0).max(max),
  );

/** A whole number in a range, written out (an empty field is not 0), with one message. */
const wholeNumber = (min: number, max: number, message: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, { message })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message });

const seats = (min: number, message: string) => wholeNumber(min, 15, message);
const termMonths = () => wholeNumber(1, 60, 'governance.settings.term_invalid');

export const governanceSettingsSchema = z
  .object({
    notice_days: days(365),
    founding_notice_days: days(365),
    proposal_deadline_days: days(365),
    publication_days: days(365),
    qualifying_days: days(3650),
    secret_ballot_threshold: z.coerce.number().int().min(1).max(1000),
    statute_majority_numerator: z.coerce.number().int().min(1).max(100),
    statute_majority_denominator: z.coerce.number().int().min(1).max(100),
    statute_majority_base: z.enum(['present', 'cast']),
    simple_majority_base: z.enum(['present', 'cast']),
    proxies_enabled: checkbox(),
    proxy_cap: z.coerce.number().int().min(1).max(100),
    board_seats: seats(1, 'governance.settings.board_seats_invalid'),
    board_term_months: termMonths(),
    alternate_seats: seats(0, 'governance.settings.alternate_seats_invalid'),
    alternate_term_months: termMonths(),
    auditor_seats: seats(0, 'governance.settings.auditor_seats_invalid'),
    auditor_term_months: termMonths(),
  })
  .superRefine((v, ctx) => {
    if (v.statute_majority_numerator > v.statute_majority_denominator)
      ctx.addIssue({
        code: 'custom',
        path: ['statute_majority_numerator'],
        message: 'governance.settings.majority_invalid',
      });
    if (v.proposal_deadline_days > v.notice_days)
      ctx.addIssue({
        code: 'custom',
        path: ['proposal_deadline_days'],
        message: 'governance.settings.deadline_after_notice',
      });
    if (v.publication_days > v.proposal_deadline_days)
      ctx.addIssue({
        code: 'custom',
        path: ['publication_days'],
        message: 'governance.settings.publication_before_deadline',
      });
  });

export const documentVersionSchema = z.object({
  title: formText(200),
  body_nb: formText(200000),
  body_en: z
    .string()
    .max(200000)
    .optional()
    .transform((v) => (v?.trim() ? v : null)),
  adopted_on: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isIsoDate(v), { message: 'form.invalid_date' }),
  meeting_id: optionalText(40),
  note: optionalText(500),
});

const memberIdField = z.string().trim().min(1).max(64);

/** The chair and the secretary the meeting elected (members present). */
export const officersSchema = z.object({
  chair_member_id: memberIdField,
  secretary_member_id: memberIdField,
});

/** An attendee of the founding meeting: the secretary's form and the public one. */
export const attendeeSchema = z.object({
  name: formText(200),
  email: emailField,
  wants_membership: checkbox(),
});
