import { formatDate, formatInstant } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import type { Locale } from '../../app/errors.js';
import { translator, type MessageKey, type T } from '../../app/i18n.js';
import { agendaTitle, meetingTitle } from './governance.labels.js';
import type { ElectedPosition } from './minutes.repository.js';
import { listElected, officerNames } from './minutes.repository.js';
import { findMeeting, listAgenda, type AgendaItem, type Meeting } from './meetings.repository.js';
import { listProposals, type Proposal } from './proposals.repository.js';
import {
  countPresent,
  findRegister,
  listAttendance,
  type Attendee,
  type VoterRegister,
} from './register.repository.js';
import { listNamedVotes, listVotes, type Vote } from './votes.repository.js';
import { optionLabel, ruleLabel } from './votes.views.js';

// The first draft of the minutes, written from the meeting's record: who was there, the
// register, each agenda item with its proposals and votes (results as stored at the
// close of each vote, never typed in), and who was elected. Markdown-like plain text
// ("## " headings, "- " lists), shown like the statutes and kept as the secretary edits it.

export type MeetingRecord = {
  association: { name: string; timeZone: string };
  meeting: Meeting;
  chair: string | null;
  secretary: string | null;
  attendance: Attendee[];
  present: number;
  register: VoterRegister | null;
  agenda: AgendaItem[];
  proposals: Proposal[];
  votes: (Vote & { named: { name: string; choice: string }[] | null })[];
  elections: ElectedPosition[];
};

/** Reads everything the draft is written from, inside the caller's transaction. */
export async function loadMeetingRecord(
  db: Db,
  opts: { meetingId: string; association: { name: string; timeZone: string } },
): Promise<MeetingRecord> {
  const meeting = await findMeeting(db, opts.meetingId);
  if (!meeting) throw new Error('meeting missing');
  const ids = await db
    .selectFrom('meetings')
    .select(['chair_member_id', 'secretary_member_id'])
    .where('id', '=', meeting.id)
    .executeTakeFirstOrThrow();
  const names = await officerNames(db, {
    chair: ids.chair_member_id,
    secretary: ids.secretary_member_id,
  });
  const votes = (await listVotes(db, meeting.id)).filter((v) => v.status === 'closed');
  return {
    association: opts.association,
    meeting,
    chair: names.chair,
    secretary: names.secretary,
    attendance: await listAttendance(db, meeting.id),
    present: await countPresent(db, meeting.id),
    register: await findRegister(db, meeting.id),
    agenda: await listAgenda(db, meeting.id),
    proposals: (await listProposals(db, { meetingId: meeting.id })).filter(
      (p) => p.status === 'submitted',
    ),
    votes: await Promise.all(
      votes.map(async (v) => ({
        ...v,
        named: v.kind === 'named' ? await listNamedVotes(db, v.id) : null,
      })),
    ),
    elections: await listElected(db, meeting.id),
  };
}

function voteLines(t: T, vote: MeetingRecord['votes'][number]): string[] {
  const r = vote.result;
  const lines = [
    t('minutes.text.vote', { subject: vote.subject }),
    `${t(`minutes.text.vote_kind.${vote.kind}`)} · ${ruleLabel(t, vote)}`,
  ];
  if (!r || !vote.outcome) return lines;
  lines.push(
    vote.options.map((o) => `${optionLabel(t, o)}: ${r.counts[o] ?? 0}`).join(' · '),
    `${t('votes.results.cast', { cast: r.cast, blank: r.blank })} · ${t('votes.results.present', { present: r.present })}`,
    t('votes.results.required', {
      required: r.required,
      base: r.base,
      base_label: t(`votes.base.${vote.majority.base}`),
    }),
  );
  if (r.winner && r.winner !== 'yes')
    lines.push(t('votes.results.winner', { option: optionLabel(t, r.winner) }));
  lines.push(t('minutes.text.result', { outcome: t(`votes.results.outcome.${vote.outcome}`) }));
  if (vote.named && vote.named.length > 0) {
    lines.push(`${t('minutes.text.named')}:`);
    for (const o of vote.options) {
      const who = vote.named.filter((n) => n.choice === o).map((n) => n.name);
      if (who.length > 0) lines.push(`- ${optionLabel(t, o)}: ${who.join(', ')}`);
    }
  }
  return lines;
}

function positionName(t: T, e: ElectedPosition): string {
  if (e.title) return e.title;
  const key = `members.office.${e.office}`;
  const label = t(key as MessageKey);
  return label === key ? e.office : label;
}

/** The draft text, in the association's language. */
export function composeMinutes(record: MeetingRecord, locale: Locale): string {
  const t = translator(locale);
  const { meeting: m, association: a } = record;
  const out: string[] = [];
  const section = (title: string) => out.push('', `## ${title}`);
  const block = (lines: string[]) => {
    out.push('', ...lines);
  };

  out.push(`# ${t('minutes.text.title', { title: meetingTitle(t, m) })}`, '', a.name, '');
  out.push(`${t('minutes.text.kind')}: ${t(`governance.kind.${m.kind}`)}`);
  out.push(`${t('governance.field.when')}: ${formatInstant(m.startsAt, a.timeZone, locale)}`);
  out.push(`${t('governance.field.format')}: ${t(`governance.format.${m.format}`)}`);
  if (m.place) out.push(`${t('governance.field.place')}: ${m.place}`);
  if (m.url) out.push(`${t('governance.field.url')}: ${m.url}`);
  const missing = t('minutes.text.not_recorded');
  out.push(`${t('minutes.text.chair')}: ${record.chair ?? missing}`);
  out.push(`${t('minutes.text.secretary')}: ${record.secretary ?? missing}`);

  section(t('minutes.text.attendance'));
  const eligible = record.register?.eligibleCount ?? 0;
  out.push('', t('minutes.text.present', { present: record.present, eligible }));
  if (record.attendance.length === 0) out.push(t('minutes.text.no_attendance'));
  else {
    out.push('');
    for (const p of record.attendance) {
      const notes = [
        p.memberNumber !== null ? t('minutes.text.member_number', { number: p.memberNumber }) : '',
        p.onRegister ? '' : t('minutes.text.no_vote'),
        p.checkedOutAt ? t('minutes.text.left') : '',
      ].filter(Boolean);
      out.push(`- ${p.name}${notes.length ? ` (${notes.join(', ')})` : ''}`);
    }
  }

  section(t('minutes.text.register'));
  const reg = record.register;
  out.push(
    '',
    !reg
      ? t('minutes.text.register_missing')
      : reg.approvedAt
        ? t('minutes.text.register_approved', {
            eligible: reg.eligibleCount,
            when: formatInstant(reg.approvedAt, a.timeZone, locale),
          })
        : t('minutes.text.register_not_approved', { eligible: reg.eligibleCount }),
  );

  // Each vote is told once: under its proposal, else under its agenda item, else at the end.
  const told = new Set<string>();
  const votesFor = (pred: (v: Vote) => boolean) =>
    record.votes.filter((v) => !told.has(v.id) && pred(v));
  const tellVotes = (votes: MeetingRecord['votes']) => {
    for (const v of votes) {
      told.add(v.id);
      block(voteLines(t, v));
    }
  };
  const proposalsShown = new Set<string>();
  section(t('minutes.text.agenda'));
  record.agenda.forEach((item, i) => {
    out.push('', `### ${t('minutes.text.item', { number: i + 1, title: agendaTitle(t, item) })}`);
    if (item.description) out.push('', item.description);
    for (const p of record.proposals.filter((x) => x.agendaItemId === item.id)) {
      proposalsShown.add(p.id);
      out.push(
        '',
        t('minutes.text.proposal', { number: p.number, title: p.title, name: p.memberName }),
      );
      tellVotes(votesFor((v) => v.proposalId === p.id));
    }
    tellVotes(votesFor((v) => v.agendaItemId === item.id));
  });

  const otherProposals = record.proposals.filter((p) => !proposalsShown.has(p.id));
  if (otherProposals.length > 0 || votesFor(() => true).length > 0) {
    section(t('minutes.text.other'));
    for (const p of otherProposals) {
      out.push(
        '',
        t('minutes.text.proposal', { number: p.number, title: p.title, name: p.memberName }),
      );
      tellVotes(votesFor((v) => v.proposalId === p.id));
    }
    tellVotes(votesFor(() => true));
  }

  if (record.elections.length > 0) {
    section(t('minutes.text.elections'));
    for (const e of record.elections) {
      out.push(
        '',
        t('minutes.text.election', {
          position: positionName(t, e),
          seats: e.seats,
          months: e.termMonths,
          date: formatDate(e.termStartsOn, locale),
        }),
      );
      if (e.elected.length === 0) out.push(t('minutes.text.none_elected'));
      for (const c of e.elected)
        out.push(
          `- ${c.votes === null ? c.name : t('minutes.text.elected', { name: c.name, votes: c.votes })}`,
        );
    }
  }

  out.push('', t('minutes.text.confirm_note'), '');
  return out.join('\n');
}
