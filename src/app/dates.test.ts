import { describe, expect, it } from 'vitest';
import { addDays, todayIn } from './dates.js';

describe('todayIn', () => {
  it('turns at midnight in the time zone, summer and winter, whatever was asked before', () => {
    // Oslo is UTC+1 in winter, UTC+2 in summer.
    expect(todayIn('Europe/Oslo', new Date('2026-01-14T22:59:59.999Z'))).toBe('2026-01-14');
    expect(todayIn('Europe/Oslo', new Date('2026-01-14T23:00:00.000Z'))).toBe('2026-01-15');
    expect(todayIn('UTC', new Date('2026-01-14T23:00:00.000Z'))).toBe('2026-01-14');
    expect(todayIn('Europe/Oslo', new Date('2026-07-01T21:59:30Z'))).toBe('2026-07-01');
    expect(todayIn('Europe/Oslo', new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
    // Within one minute, in two zones whose days differ, asked in turns.
    const at = new Date('2026-03-31T23:30:10Z');
    for (let i = 0; i < 3; i++) {
      expect(todayIn('Europe/Oslo', at)).toBe('2026-04-01');
      expect(todayIn('America/New_York', at)).toBe('2026-03-31');
    }
    // A zone with a half-hour offset (UTC+5:30) turns at 18:30 UTC.
    expect(todayIn('Asia/Kolkata', new Date('2026-05-05T18:29:59Z'))).toBe('2026-05-05');
    expect(todayIn('Asia/Kolkata', new Date('2026-05-05T18:30:00Z'))).toBe('2026-05-06');
    // Back in time too.
    expect(todayIn('Europe/Oslo', new Date('2026-01-14T22:59:59.999Z'))).toBe('2026-01-14');
  });

  it('adds days across months and leap days', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
