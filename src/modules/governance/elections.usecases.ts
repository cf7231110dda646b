import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext, CurrentUser } from '../../app/context.js';
import type { Db } from '../../app/db.js';
import { CommonErrors } from '../../app/errors.js';
import type { T } from '../../app/i18n.js';
import { newId } from '../../app/ids.js';
import type { Office } from '../members/members.tables.js';
import { termEndsOn } from './elections-count.js';
import { ElectionErrors } from './elections.errors.js';
import {
  countBoardSeatsHeldPast,
  findElection,
  findElectionByRequestKey,
  insertElection,
  isEligibleAt,
  listElections,
  type Candidate,
  type Election,
} from './elections.repository.js';
import { GovernanceErrors } from './governance.errors.js';
import {
  getGovernanceSettings,
  type GovernanceSettings,
} from './governance-settings.repository.js';
import { isUniqueViolation } from './meetings.usecases.js';
import { loadMeetingRow, requireOfficer, type MeetingRow } from './register.usecases.js';

// Setting up a meeting's elections (one, or the standard set) and what the election
// use-cases share. Nominations: elections-nominations.usecases.ts; the decision:
// elections-voting.usecases.ts; counting: elections-count.ts.

export type Deps = Pick<AppContext, 'db' | 'clock' | 'dialect' | 'config'>;

// The standard elections follow the governance settings (defaults: data.coop's statutes, a
// board of five with staggered two-year terms, two alternates and one auditor for a year).
// A founding meeting starts the stagger: half the board (rounded up) for a full term and
// the rest for half a term.

/** A board term that runs on at least this long after the GA is not up for election. */
export const STILL_SITTING_MONTHS = 6;

export type ElectionSpec = { office: Office; seats: number; termMonths: number };

export function requireMeetingOpen(meeting: MeetingRow): void {
  if (meeting.status === 'closed' || meeting.status === 'cancelled')
    throw GovernanceErrors.meetingNotOpen();
  if (meeting.kind === 'board') throw ElectionErrors.meetingKind();
}

function requireManage(user: CurrentUser | null): void {
  if (!user?.permissions.has('meetings.manage')) throw CommonErrors.forbidden();
}

export async function requireElection(db: Db, meetingId: string, id: string): Promise<Election> {
  const e = await findElection(db, meetingId, id);
  if (!e) throw ElectionErrors.notFound();
  return e;
}

/** What an officer's action on an election starts from: a meeting still open, the election. */
export async function officerElection(
  db: Db,
  input: { user: CurrentUser | null; meetingId: string; electionId: string },
): Promise<{ meeting: MeetingRow; election: Election }> {
  const meeting = await loadMeetingRow(db, input.meetingId);
  requireOfficer(input.user, meeting);
  requireMeetingOpen(meeting);
  return { meeting, election: await requireElection(db, meeting.id, input.electionId) };
}

/** The meeting's 'elections' agenda item (the first one), or the one asked for. */
async function electionsItem(
  db: Db,
  meetingId: string,
  agendaItemId: string | null,
): Promise<string | null> {
  let q = db
    .selectFrom('agenda_items')
    .select(['id', 'kind'])
    .where('meeting_id', '=', meetingId)
    .orderBy('position');
  if (agendaItemId) q = q.where('id', '=', agendaItemId);
  else q = q.where('kind', '=', 'elections');
  const item = await q.executeTakeFirst();
  if (agendaItemId && !item) throw GovernanceErrors.agendaItemNotFound();
  if (item && item.kind !== 'elections') throw ElectionErrors.notAgendaElections();
  return item?.id ?? null;
}

async function insertOne(
  tx: Db,
  opts: {
    meeting: MeetingRow;
    spec: ElectionSpec & { title: string | null; termStartsOn: string | null };
    agendaItemId: string | null;
    requestKey: string;
    actor: Actor;
    now: Date;
  },
): Promise<Election> {
  const id = newId(opts.now.getTime());
  const termStartsOn = opts.spec.termStartsOn ?? opts.meeting.meetingDate;
  await insertElection(
    tx,
    {
      id,
      meetingId: opts.meeting.id,
      agendaItemId: opts.agendaItemId,
      office: opts.spec.office,
      title: opts.spec.title,
      seats: opts.spec.seats,
      termMonths: opts.spec.termMonths,
      termStartsOn,
      requestKey: opts.requestKey,
      createdBy: opts.actor.label,
    },
    opts.now,
  );
  await recordAudit(tx, {
    actor: opts.actor,
    action: 'governance.election_created',
    entityType: 'election',
    entityId: id,
    after: {
      meetingId: opts.meeting.id,
      office: opts.spec.office,
      seats: opts.spec.seats,
      termMonths: opts.spec.termMonths,
      termStartsOn,
    },
    at: opts.now,
  });
  return (await findElection(tx, opts.meeting.id, id))!;
}

/** The board creates an election: an office, its seats and the term of those elected. */
export async function createElection(
  deps: Deps,
  input: {
    actor: Actor;
    user: CurrentUser | null;
    meetingId: string;
    office: Office;
    title: string | null;
    seats: number;
    termMonths: number;
    termStartsOn: string | null;
    agendaItemId: string | null;
    requestKey: string;
  },
): Promise<{ election: Election; created: boolean }> {
  requireManage(input.user);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (tx) => {
      const existing = await findElectionByRequestKey(tx, input.requestKey);
      if (existing) return { election: existing, created: false };
      const meeting = await loadMeetingRow(tx, input.meetingId);
      requireMeetingOpen(meeting);
      const agendaItemId = await electionsItem(tx, meeting.id, input.agendaItemId);
      const election = await insertOne(tx, {
        meeting,
        spec: input,
        agendaItemId,
        requestKey: input.requestKey,
        actor: input.actor,
        now,
      });
      return { election, created: true };
    });
  } catch (err) {
    // The same form sent twice at once: the second finds the first.
    if (isUniqueViolation(err)) {
      const existing = await findElectionByRequestKey(deps.db, input.requestKey);
      if (existing) return { election: existing, created: false };
    }
    throw err;
  }
}

/**
 * The standard elections for a meeting, by the settings. Board seats up for election: the
 * board's seats less the board terms that run on at least six months after the term start
 * (so a GA held a few weeks earlier or later than last year still sees the seats elected
 * a term ago as open). An office with no seats gets no election.
 */
export async function standardElectionSpecs(
  db: Db,
  meeting: { kind: string; meetingDate: string },
  settings: GovernanceSettings,
): Promise<ElectionSpec[]> {
  const specs: ElectionSpec[] = [];
  const board = settings.boardSeats;
  const term = settings.boardTermMonths;
  if (meeting.kind === 'founding') {
    const full = Math.ceil(board / 2);
    specs.push({ office: 'board_member', seats: full, termMonths: term });
    if (board > full)
      specs.push({
        office: 'board_member',
        seats: board - full,
        termMonths: Math.max(1, Math.floor(term / 2)),
      });
  } else {
    const until = addMonths(meeting.meetingDate, STILL_SITTING_MONTHS);
    const held = await countBoardSeatsHeldPast(db, { on: meeting.meetingDate, until });
    const seats = Math.max(0, board - held);
    if (seats > 0) specs.push({ office: 'board_member', seats, termMonths: term });
  }
  if (settings.alternateSeats > 0)
    specs.push({
      office: 'board_alternate',
      seats: settings.alternateSeats,
      termMonths: settings.alternateTermMonths,
    });
  if (settings.auditorSeats > 0)
    specs.push({
      office: 'auditor',
      seats: settings.auditorSeats,
      termMonths: settings.auditorTermMonths,
    });
  return specs;
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** One click: the standard elections of the meeting, on its 'elections' agenda item. */
export async function createStandardElections(
  deps: Deps,
  input: { actor: Actor; user: CurrentUser | null; meetingId: string; requestKey: string },
): Promise<{ elections: Election[] }> {
  requireManage(input.user);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const meeting = await loadMeetingRow(tx, input.meetingId);
    requireMeetingOpen(meeting);
    if (meeting.kind === 'extraordinary') throw ElectionErrors.meetingKind();
    if ((await listElections(tx, meeting.id)).length > 0) throw ElectionErrors.standardExists();
    const agendaItemId = await electionsItem(tx, meeting.id, null);
    const specs = await standardElectionSpecs(tx, meeting, await getGovernanceSettings(tx));
    const elections: Election[] = [];
    for (const [i, spec] of specs.entries())
      elections.push(
        await insertOne(tx, {
          // A millisecond apart: listed in the order of the statutes.
          now: new Date(now.getTime() + i),
          meeting,
          spec: { ...spec, title: null, termStartsOn: null },
          agendaItemId,
          requestKey: `${input.requestKey}:${i}`,
          actor: input.actor,
        }),
      );
    return { elections };
  });
}

/** Candidates must be on the frozen register (a founding meeting: checked in). */
export async function requireOnRegister(
  tx: Db,
  meeting: MeetingRow,
  standing: Candidate[],
): Promise<void> {
  const missing: string[] = [];
  for (const c of standing)
    if (!(await isEligibleAt(tx, meeting, c.memberId))) missing.push(c.name);
  if (missing.length) throw ElectionErrors.candidatesNotOnRegister({ names: missing.join(', ') });
}

/** When the terms of those elected start and end. */
export function termDates(election: Election): { startsOn: string; endsOn: string } {
  return {
    startsOn: election.termStartsOn,
    endsOn: termEndsOn(election.termStartsOn, election.termMonths),
  };
}

/** The election's name: its title, or the office's. */
export function electionName(t: T, e: Election): string {
  return e.title ?? t(`elections.office.${e.office}`);
}
