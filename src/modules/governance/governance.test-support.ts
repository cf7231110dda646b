// Helpers shared by the governance tests (imported by *.test.ts only).
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import type { DB } from '../../app/database.js';
import { addDays } from '../../app/dates.js';
import type { TestClient } from '../../../test/helpers/app.js';

/** Thursday 1 April 2027, 10:00 UTC (12:00 in Oslo). */
export const NOW = '2027-04-01T10:00:00Z';
export const TODAY = '2027-04-01';

export function daysAhead(days: number): string {
  return addDays(TODAY, days);
}

let keys = 0;
export function requestKey(): string {
  keys++;
  return `test-key-${Date.now().toString(36)}-${keys.toString().padStart(4, '0')}`;
}

/** The settings form as the page fills it, with the defaults. */
export const SETTINGS_FORM: Readonly<Record<string, string>> = {
  notice_days: '14',
  founding_notice_days: '14',
  proposal_deadline_days: '7',
  publication_days: '4',
  qualifying_days: '30',
  secret_ballot_threshold: '2',
  statute_majority_numerator: '3',
  statute_majority_denominator: '4',
  statute_majority_base: 'present',
  simple_majority_base: 'cast',
  proxy_cap: '1',
  board_seats: '5',
  board_term_months: '24',
  alternate_seats: '2',
  alternate_term_months: '12',
  auditor_seats: '1',
  auditor_term_months: '12',
};

export function scheduleForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    kind: 'ordinary',
    title: '',
    date: daysAhead(30),
    time: '18:00',
    format: 'hybrid',
    place: 'Folkets hus, Oslo',
    url: 'https://meet.example.org/aarsmote',
    description: '',
    items: '',
    request_key: requestKey(),
    ...overrides,
  };
}

/** Schedules through the form as the board and returns the new meeting's id. */
export async function scheduleViaForm(
  board: TestClient,
  overrides: Record<string, string> = {},
): Promise<string> {
  await board.get('/meetings/new');
  const { res, html } = await board.post('/meetings', scheduleForm(overrides));
  expect(res.status, html.slice(0, 2000)).toBe(303);
  const location = res.headers.get('location') ?? '';
  const m = /^\/meetings\/([0-9a-z]+)$/.exec(location);
  if (!m?.[1]) throw new Error(`unexpected redirect ${location}`);
  return m[1];
}

export async function emailsTo(db: Kysely<DB>, subjectPart: string) {
  const rows = await db
    .selectFrom('outbox')
    .select(['recipient', 'payload'])
    .where('kind', '=', 'email')
    .execute();
  return rows
    .map((r) => ({
      to: r.recipient,
      ...(JSON.parse(r.payload) as { subject: string; text: string }),
    }))
    .filter((m) => m.subject.includes(subjectPart));
}

export function setClock(app: Running, iso: string) {
  (app.ctx.clock as unknown as { set(d: string): void }).set(iso);
}
