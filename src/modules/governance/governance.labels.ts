import type { T } from '../../app/i18n.js';
import type { AgendaItem, Meeting } from './meetings.repository.js';

/** A meeting's name: its own title, or its kind and year. */
export function meetingTitle(t: T, m: Pick<Meeting, 'title' | 'kind' | 'meetingDate'>): string {
  return m.title ?? t(`governance.kind_title.${m.kind}`, { year: m.meetingDate.slice(0, 4) });
}

/** An agenda item's name: the standing items are named in the reader's language. */
export function agendaTitle(t: T, item: Pick<AgendaItem, 'kind' | 'title'>): string {
  return item.kind === 'custom' ? (item.title ?? '') : t(`governance.agenda.${item.kind}`);
}
