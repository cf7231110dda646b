import { describe, expect, it } from 'vitest';
import { auditQuerySchema, filtersFrom, startOfDayInZone } from './audit.filters.js';

describe('audit filter dates', () => {
  it('finds the UTC start of a day in the zone, across DST changes', () => {
    const cases: [string, string, string][] = [
      ['2026-07-01', 'Europe/Oslo', '2026-06-30T22:00:00.000Z'],
      ['2026-01-15', 'Europe/Oslo', '2026-01-14T23:00:00.000Z'],
      ['2026-03-29', 'Europe/Oslo', '2026-03-28T23:00:00.000Z'], // DST begins at 02:00
      ['2026-03-30', 'Europe/Oslo', '2026-03-29T22:00:00.000Z'],
      ['2026-10-25', 'Europe/Oslo', '2026-10-24T22:00:00.000Z'], // DST ends at 03:00
      ['2026-10-26', 'Europe/Oslo', '2026-10-25T23:00:00.000Z'],
      ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
      ['2026-05-05', 'UTC', '2026-05-05T00:00:00.000Z'],
    ];
    for (const [date, zone, utc] of cases)
      expect(startOfDayInZone(date, zone).toISOString(), `${date} ${zone}`).toBe(utc);
  });

  it('makes the "to" date inclusive and reports bad dates', () => {
    const q = auditQuerySchema.parse({ from: '2026-03-11', to: '2026-03-11', action: 'Members.' });
    expect(filtersFrom(q, 'Europe/Oslo')).toMatchObject({
      actionPrefix: 'members.',
      fromUtc: '2026-03-10T23:00:00.000Z',
      toUtc: '2026-03-11T23:00:00.000Z',
    });
    const bad = auditQuerySchema.safeParse({ from: '2026-02-30' });
    expect(bad.success).toBe(false);
    // A tampered cursor is ignored rather than failing the page.
    expect(auditQuerySchema.parse({ before: "x' or 1=1" }).before).toBeUndefined();
  });
});
