import { z } from 'zod';
import { MEMBER_STATUSES, OFFICES } from './members.tables.js';
import { REGISTER_SORTS } from './register.repository.js';

/** An empty select or search box arrives as "", which means "no filter". */
const blank = (v: unknown) => (v === '' ? undefined : v);
const optionalFilter = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blank, schema.optional()).transform((v) => v ?? null);

/**
 * The register's query string. Filters with an unknown value are refused (a silently
 * ignored filter would show the wrong members); sort, order and page fall back.
 */
export const registerQuerySchema = z.object({
  q: optionalFilter(z.string().trim().max(200)),
  status: optionalFilter(z.enum(MEMBER_STATUSES)),
  type: optionalFilter(
    z
      .string()
      .trim()
      .max(40)
      .regex(/^[a-z0-9_-]+$/),
  ),
  office: optionalFilter(z.enum(OFFICES)),
  paid: optionalFilter(z.enum(['paid', 'unpaid'])),
  sort: z.enum(REGISTER_SORTS).catch('number'),
  dir: z.enum(['asc', 'desc']).catch('asc'),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});
export type RegisterQuery = z.output<typeof registerQuerySchema>;

/** The import form: which button was pressed. Anything but "commit" is a dry run. */
export const importModeSchema = z
  .string()
  .optional()
  .transform((v) => (v === 'commit' ? 'commit' : 'check'));
