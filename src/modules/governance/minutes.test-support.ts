// Helpers shared by the minutes tests (imported by tests only): a general assembly that
// has been held, with attendance, an approved register and votes counted from ballots.
import type { Running } from '../../app/bootstrap.js';
import { loadCurrentUser } from '../accounts/current-user.js';
import type { TestClient } from '../../../test/helpers/app.js';
import { scheduleViaForm, setClock } from './governance.test-support.js';
import { listAgenda } from './meetings.repository.js';
import { approveRegister, openMeeting, selfCheckIn } from './register.usecases.js';
import { castVote, closeVote, createVote, openVote, recordOpenCounts } from './votes.usecases.js';
import type { VoteKind } from './votes.tables.js';

export type HeldMeeting = { meetingId: string; voteIds: string[] };

/**
 * Schedules a general assembly on `date` as the board, opens it at 18:05 that day, records
 * the secretary, checks the attendees in, approves the register and runs the votes: each
 * with the choices of the attendees in order (secret and named votes are cast as ballots;
 * an open vote's counts are entered).
 */
export async function holdMeeting(
  app: Running,
  opts: {
    board: { client: TestClient; userId: string };
    date: string;
    secretaryMemberId: string;
    attendees: string[];
    votes: { subject: string; kind: VoteKind; choices: string[]; onAgendaKind?: string }[];
  },
): Promise<HeldMeeting> {
  const db = app.ctx.db;
  const meetingId = await scheduleViaForm(opts.board.client, { date: opts.date });
  setClock(app, `${opts.date}T16:05:00Z`);
  const actor = { userId: opts.board.userId, label: 'board' };
  const user = await loadCurrentUser(db, { userId: opts.board.userId, today: opts.date });
  await openMeeting(app.ctx, { actor, meetingId, locale: 'nb' });
  await db
    .updateTable('meetings')
    .set({ secretary_member_id: opts.secretaryMemberId })
    .where('id', '=', meetingId)
    .execute();
  for (const memberId of opts.attendees)
    await selfCheckIn(app.ctx, { actor, memberId, meetingId, locale: 'nb' });
  await approveRegister(app.ctx, { actor, user, meetingId });
  const agenda = await listAgenda(db, meetingId);
  const voteIds: string[] = [];
  for (const v of opts.votes) {
    const item = v.onAgendaKind ? agenda.find((a) => a.kind === v.onAgendaKind) : undefined;
    const { vote } = await createVote(app.ctx, {
      actor,
      user,
      meetingId,
      subject: v.subject,
      kind: v.kind,
      rule: 'simple',
      agendaItemId: item?.id ?? null,
    });
    await openVote(app.ctx, { actor, user, meetingId, voteId: vote.id });
    if (v.kind === 'open') {
      const counts: Record<string, number> = {};
      for (const ch of v.choices) counts[ch] = (counts[ch] ?? 0) + 1;
      await recordOpenCounts(app.ctx, { actor, user, meetingId, voteId: vote.id, counts });
    } else {
      for (const [i, choice] of v.choices.entries())
        await castVote(app.ctx, {
          memberId: opts.attendees[i]!,
          meetingId,
          voteId: vote.id,
          choice,
          locale: 'nb',
        });
      await closeVote(app.ctx, { actor, user, meetingId, voteId: vote.id });
    }
    voteIds.push(vote.id);
  }
  return { meetingId, voteIds };
}
