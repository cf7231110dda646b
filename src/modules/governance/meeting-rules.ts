import { addDays, type IsoDate } from '../../app/dates.js';
import type { GovernanceSettings } from './governance-settings.repository.js';
import type { AgendaKind, MeetingKind } from './governance.tables.js';

// The rules of meetings as plain functions of dates and settings, so they can be read
// (and tested) apart from the database.

function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - (instant.getTime() - instant.getMilliseconds());
}

/** The instant of a wall-clock date and time (HH:MM) in the association's zone. */
export function zonedInstant(date: IsoDate, time: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  const first = naive - offsetMs(new Date(naive), timeZone);
  return new Date(naive - offsetMs(new Date(first), timeZone));
}

/** HH:MM of an instant in the zone. */
export function timeIn(timeZone: string, instant: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).format(instant);
}

export const isGeneralAssembly = (kind: MeetingKind) =>
  kind === 'ordinary' || kind === 'extraordinary' || kind === 'founding';

/** Days of notice a meeting of this kind needs; a board meeting needs none. */
export function noticeDaysFor(kind: MeetingKind, s: GovernanceSettings): number {
  switch (kind) {
    case 'founding':
      return s.foundingNoticeDays;
    case 'ordinary':
    case 'extraordinary':
      return s.noticeDays;
    case 'board':
      return 0;
  }
}

/** The first meeting date a notice sent today allows. */
export function earliestMeetingDate(
  kind: MeetingKind,
  today: IsoDate,
  s: GovernanceSettings,
): IsoDate {
  return addDays(today, noticeDaysFor(kind, s));
}

/** Members' proposals are taken for the ordinary general assembly only (statutes § 6, § 9). */
export const takesProposals = (kind: MeetingKind) => kind === 'ordinary';

/** The dates a meeting's notice fixes, from its date and the settings in force. */
export function meetingDates(
  kind: MeetingKind,
  meetingDate: IsoDate,
  s: GovernanceSettings,
): {
  proposalDeadlineOn: IsoDate | null;
  publicationOn: IsoDate | null;
  qualifyingOn: IsoDate | null;
} {
  const ga = isGeneralAssembly(kind);
  return {
    proposalDeadlineOn: takesProposals(kind) ? addDays(meetingDate, -s.proposalDeadlineDays) : null,
    publicationOn: ga ? addDays(meetingDate, -s.publicationDays) : null,
    qualifyingOn:
      kind === 'ordinary' || kind === 'extraordinary'
        ? addDays(meetingDate, -s.qualifyingDays)
        : null,
  };
}

/** A proposal is on time up to and including the deadline day (in the association's zone). */
export function proposalOnTime(deadlineOn: IsoDate | null, today: IsoDate): boolean {
  return deadlineOn !== null && today <= deadlineOn;
}

/** Proposals are shown to all members from the publication date. */
export function proposalsPublished(publicationOn: IsoDate | null, today: IsoDate): boolean {
  return publicationOn !== null && today >= publicationOn;
}

/** The agenda a meeting starts with, in order; these items cannot be deleted. */
export function mandatoryAgenda(kind: MeetingKind): AgendaKind[] {
  switch (kind) {
    case 'ordinary':
      return [
        'chair_secretary',
        'approve_notice_register',
        'board_report',
        'accounts',
        'budget_fee',
        'proposals',
        'statute_changes',
        'elections',
        'any_other_business',
      ];
    case 'extraordinary':
      return ['chair_secretary', 'approve_notice_register'];
    case 'founding':
      return [
        'chair_secretary',
        'founding_decision',
        'statutes_adoption',
        'budget_fee',
        'elections',
        'any_other_business',
      ];
    case 'board':
      return [];
  }
}
