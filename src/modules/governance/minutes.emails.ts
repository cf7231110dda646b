import { formatDate } from '../../app/dates.js';
import type { Locale } from '../../app/errors.js';
import { translator } from '../../app/i18n.js';
import type { EmailMessage } from '../../app/outbox.js';
import { meetingTitle } from './governance.labels.js';
import type { Meeting } from './meetings.repository.js';

/** To each member when the minutes are locked: where to read them. Plain text, like the notice. */
export function minutesPublishedMessage(opts: {
  to: string;
  name: string;
  locale: Locale;
  association: string;
  meeting: Pick<Meeting, 'title' | 'kind' | 'meetingDate'>;
  confirmers: string[];
  link: string;
}): EmailMessage {
  const t = translator(opts.locale);
  const title = meetingTitle(t, opts.meeting);
  return {
    to: opts.to,
    subject: t('minutes.email.subject', { title, association: opts.association }),
    text: [
      t('governance.email.greeting', { name: opts.name }),
      '',
      t('minutes.email.intro', {
        title,
        date: formatDate(opts.meeting.meetingDate, opts.locale),
        confirmers: opts.confirmers.join(opts.locale === 'nb' ? ' og ' : ' and '),
      }),
      '',
      t('minutes.email.link'),
      '',
      opts.link,
      '',
    ].join('\n'),
  };
}
