import { z } from 'zod';
import { addDays, isIsoDate, type IsoDate } from '../../app/dates.js';

/** How far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant at which `date` begins in `timeZone` (Europe/Oslo: 2026-07-01 begins at
 * 2026-06-30T22:00:00Z). Checked twice, so a day that starts next to a DST change is right.
 */
export function startOfDayInZone(date: IsoDate, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return new Date(wall - zoneOffsetMs(first, timeZone));
}

const optionalQuery = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalDate = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || isIsoDate(v), { message: 'form.invalid_date' });

const cursor = z
  .string()
  .regex(/^[0-9a-z]{1,40}$/)
  .optional()
  .catch(undefined);

/** The audit page's query string. Bad dates are reported; a bad cursor is ignored. */
export const auditQuerySchema = z.object({
  action: optionalQuery(100).transform((v) => v?.toLowerCase()),
  entity_type: optionalQuery(50),
  entity_id: optionalQuery(100),
  actor: optionalQuery(100).transform((v) => v?.toLowerCase()),
  from: optionalDate,
  to: optionalDate,
  before: cursor,
  after: cursor,
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export type AuditFilters = {
  actionPrefix?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
  /** Inclusive lower bound, ISO UTC. */
  fromUtc?: string | undefined;
  /** Exclusive upper bound, ISO UTC. */
  toUtc?: string | undefined;
};

/** Turns the calendar dates people type (in the association's zone) into UTC bounds. */
export function filtersFrom(q: AuditQuery, timeZone: string): AuditFilters {
  return {
    actionPrefix: q.action,
    entityType: q.entity_type,
    entityId: q.entity_id,
    actor: q.actor,
    fromUtc: q.from ? startOfDayInZone(q.from, timeZone).toISOString() : undefined,
    toUtc: q.to ? startOfDayInZone(addDays(q.to, 1), timeZone).toISOString() : undefined,
  };
}

/** The filters as a query string, for pager and export links. */
export function filterQueryString(
  q: Partial<Pick<AuditQuery, 'action' | 'entity_type' | 'entity_id' | 'actor' | 'from' | 'to'>>,
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams();
  for (const key of ['action', 'entity_type', 'entity_id', 'actor', 'from', 'to'] as const) {
    const v = q[key];
    if (v) params.set(key, v);
  }
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}
