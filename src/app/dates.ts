/** Calendar dates are YYYY-MM-DD strings in the association's time zone. */
export type IsoDate = string;

// Building a DateTimeFormat costs ~0.25 ms, 250 times a format() with one; the gate asks
// for today at every OpenID Connect request, so one is kept per time zone, and the last
// answer per time zone is kept for the rest of its minute: the offsets in use since the
// 1970s are whole numbers of minutes, so a day does not change within one.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const lastDay = new Map<string, { minute: number; day: IsoDate }>();

export function todayIn(timeZone: string, now: Date): IsoDate {
  const minute = Math.floor(now.getTime() / 60_000);
  const last = lastDay.get(timeZone);
  if (last && last.minute === minute) return last.day;
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const day = format.format(now);
  lastDay.set(timeZone, { minute, day });
  return day;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The association year that contains `date`, named by the calendar year it starts in.
 * With start month 7 (data.coop), 2026-03-01 is in year 2025 (2025-07-01 – 2026-06-30).
 */
export function associationYear(
  date: IsoDate,
  startMonth: number,
): { year: number; startsOn: IsoDate; endsOn: IsoDate } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const year = m >= startMonth ? y : y - 1;
  return associationYearBounds(year, startMonth);
}

export function associationYearBounds(
  year: number,
  startMonth: number,
): { year: number; startsOn: IsoDate; endsOn: IsoDate } {
  const mm = String(startMonth).padStart(2, '0');
  const startsOn = `${year}-${mm}-01`;
  const endsOn = addDays(`${year + 1}-${mm}-01`, -1);
  return { year, startsOn, endsOn };
}

/** Formats an instant for people: date and time in the association's zone. */
export function formatInstant(iso: string, timeZone: string, locale: 'nb' | 'en'): string {
  return new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : 'en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

// Making an Intl.DateTimeFormat costs ~50 µs; a list of 50 members calls this 50 times.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatDate(date: IsoDate, locale: 'nb' | 'en'): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : 'en-GB', {
      timeZone: 'UTC',
      dateStyle: 'medium',
    });
    dateFormats.set(locale, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}
