import { z } from 'zod';
import { isIsoDate } from '../../app/dates.js';
import { checkbox, optionalText } from '../../app/forms.js';
import { OFFICES } from '../members/members.tables.js';

const count = (max: number) => z.coerce.number().int().min(1).max(max);
const memberNumber = z
  .string()
  .trim()
  .regex(/^\d{1,9}$/, 'elections.field.member_number_invalid')
  .transform(Number);

export const createElectionSchema = z.object({
  office: z.enum(OFFICES),
  title: optionalText(200),
  seats: count(20),
  term_months: count(120),
  term_starts_on: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .refine((v) => v === null || isIsoDate(v), 'elections.field.date_invalid'),
  agenda_item_id: z.string().max(40).optional().default(''),
  request_key: z.string().min(8).max(100),
});

export const standardElectionsSchema = z.object({
  request_key: z.string().min(8).max(100),
});

/** A member's nomination: themselves, or another member by number. */
export const nominateSchema = z
  .object({
    self: checkbox(),
    member_number: z.string().trim().max(12).optional().default(''),
    statement: optionalText(1000),
  })
  .superRefine((v, ctx) => {
    if (!v.self && !/^\d{1,9}$/.test(v.member_number))
      ctx.addIssue({
        code: 'custom',
        path: ['member_number'],
        message: 'elections.field.member_number_invalid',
      });
  });

/** A nomination made in the room, registered by an officer. */
export const roomNominationSchema = z.object({
  member_number: memberNumber,
  statement: optionalText(1000),
});

/** The API's nomination: `self`, or a member number. */
export const nominateApiSchema = z
  .object({
    self: z.boolean().optional().default(false),
    memberNumber: z.number().int().min(1).max(999_999_999).optional(),
    statement: z.string().trim().max(1000).optional(),
  })
  .refine((v) => v.self || v.memberNumber !== undefined, {
    message: 'self or memberNumber is required',
    path: ['memberNumber'],
  });

/**
 * A ballot form: one checkbox per candidate (`c_<candidate id>`) and one for blank. The
 * marks are joined here; whether they make a valid ballot is decided by the use-case.
 */
export function ballotMarks(values: Record<string, string>): string {
  const marks: string[] = [];
  for (const [k, v] of Object.entries(values)) {
    if (v !== 'on') continue;
    if (k === 'blank') marks.push('blank');
    else if (/^c_[0-9a-z]{1,40}$/.test(k)) marks.push(k.slice(2));
  }
  return marks.join(',');
}
