import { formatDate, formatInstant } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import type { EmailMessage } from '../../app/outbox.js';
import type { AgendaItem, Meeting } from './meetings.repository.js';
import { agendaTitle, meetingTitle } from './governance.labels.js';

// Meeting notices in the member's language, plain text like the other emails.

export function meetingNoticeMessage(opts: {
  to: string;
  name: string;
  locale: Locale;
  association: string;
  timeZone: string;
  meeting: Meeting;
  agenda: AgendaItem[];
  link: string;
}): EmailMessage {
  const { meeting, locale } = opts;
  const t = translator(locale);
  const title = meetingTitle(t, meeting);
  const when = formatInstant(meeting.startsAt, opts.timeZone, locale);
  const lines: string[] = [
    t('governance.email.greeting', { name: opts.name }),
    '',
    t(meeting.kind === 'board' ? 'governance.email.intro_board' : 'governance.email.intro', {
      association: opts.association,
      title,
    }),
    '',
    `${t('governance.field.when')}: ${when}`,
    `${t('governance.field.format')}: ${t(`governance.format.${meeting.format}`)}`,
  ];
  if (meeting.place) lines.push(`${t('governance.field.place')}: ${meeting.place}`);
  if (meeting.url) lines.push(`${t('governance.field.url')}: ${meeting.url}`);
  if (meeting.description) lines.push('', meeting.description);
  lines.push('', `${t('governance.meeting.agenda')}:`);
  opts.agenda.forEach((item, i) => lines.push(`${i + 1}. ${agendaTitle(t, item)}`));
  if (meeting.proposalDeadlineOn)
    lines.push(
      '',
      t('governance.email.proposals', { date: formatDate(meeting.proposalDeadlineOn, locale) }),
    );
  if (meeting.publicationOn)
    lines.push(
      t('governance.email.publication', { date: formatDate(meeting.publicationOn, locale) }),
    );
  lines.push('', t('governance.email.link'), '', opts.link, '');
  return {
    to: opts.to,
    subject: t('governance.email.subject', { title, association: opts.association }),
    text: lines.join('\n'),
  };
}

export function meetingCancelledMessage(opts: {
  to: string;
  name: string;
  locale: Locale;
  association: string;
  timeZone: string;
  meeting: Meeting;
  reason: string;
  link: string;
}): EmailMessage {
  const t = translator(opts.locale);
  const title = meetingTitle(t, opts.meeting);
  return {
    to: opts.to,
    subject: t('governance.email.cancel_subject', { title, association: opts.association }),
    text: [
      t('governance.email.greeting', { name: opts.name }),
      '',
      t('governance.email.cancel_intro', {
        title,
        when: formatInstant(opts.meeting.startsAt, opts.timeZone, opts.locale),
      }),
      '',
      opts.reason,
      '',
      opts.link,
      '',
    ].join('\n'),
  };
}

/** On the publication date: the final agenda and the proposals are out for members. */
export function publicationMessage(opts: {
  to: string;
  name: string;
  locale: Locale;
  association: string;
  timeZone: string;
  meeting: Meeting;
  agenda: AgendaItem[];
  proposals: { number: number; title: string }[];
  link: string;
}): EmailMessage {
  const t = translator(opts.locale);
  const title = meetingTitle(t, opts.meeting);
  const lines = [
    t('governance.email.greeting', { name: opts.name }),
    '',
    t('governance.email.published_intro', {
      title,
      when: formatInstant(opts.meeting.startsAt, opts.timeZone, opts.locale),
    }),
    '',
    `${t('governance.meeting.agenda')}:`,
    ...opts.agenda.map((item, i) => `${i + 1}. ${agendaTitle(t, item)}`),
  ];
  if (opts.proposals.length > 0)
    lines.push(
      '',
      `${t('governance.meeting.proposals')}:`,
      ...opts.proposals.map(
        (p) => `- ${t('governance.proposal.number', { number: p.number })}: ${p.title}`,
      ),
    );
  lines.push('', t('governance.email.link'), '', opts.link, '');
  return {
    to: opts.to,
    subject: t('governance.email.published_subject', { title, association: opts.association }),
    text: lines.join('\n'),
  };
}
