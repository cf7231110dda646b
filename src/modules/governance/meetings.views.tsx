import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import {
  Csrf,
  emptyForm,
  Field,
  FormErrors,
  Select,
  TextArea,
  type FormState,
} from '../../app/forms.js';
import { FoundingSignup } from './founding.views.js';
import { agendaTitle, meetingTitle } from './governance.labels.js';
import type { GovernanceSettings } from './governance-settings.repository.js';
import { MEETING_FORMATS, MEETING_KINDS } from './governance.tables.js';
import { earliestMeetingDate, proposalOnTime, takesProposals } from './meeting-rules.js';
import type { AgendaItem, Meeting } from './meetings.repository.js';
import type { Proposal } from './proposals.repository.js';

type C = Context<AppEnv>;

function tz(c: C): string {
  return c.get('association')?.timeZone ?? 'Europe/Oslo';
}

export function when(c: C, m: Meeting): string {
  return formatInstant(m.startsAt, tz(c), c.get('locale'));
}

function MeetingRow(props: { c: C; m: Meeting }) {
  const { c, m } = props;
  const t = c.get('t');
  return (
    <tr>
      <td>
        <a href={`/meetings/${m.id}`}>{meetingTitle(t, m)}</a>{' '}
        <span class={`badge ${m.status}`}>{t(`governance.status.${m.status}`)}</span>
      </td>
      <td>{when(c, m)}</td>
      <td class="optional">{t(`governance.kind.${m.kind}`)}</td>
      <td class="optional">{t(`governance.format.${m.format}`)}</td>
    </tr>
  );
}

function MeetingTable(props: { c: C; meetings: Meeting[]; caption: string }) {
  const t = props.c.get('t');
  if (props.meetings.length === 0) return null;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('governance.field.meeting')}</th>
            <th scope="col">{t('governance.field.when')}</th>
            <th scope="col" class="optional">
              {t('governance.field.kind')}
            </th>
            <th scope="col" class="optional">
              {t('governance.field.format')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.meetings.map((m) => (
            <MeetingRow c={props.c} m={m} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MeetingsList(props: { c: C; meetings: Meeting[]; canManage: boolean }) {
  const { c } = props;
  const t = c.get('t');
  const now = c.get('ctx').clock.now().toISOString();
  const upcoming = props.meetings.filter((m) => m.startsAt >= now).reverse();
  const past = props.meetings.filter((m) => m.startsAt < now);
  return (
    <section>
      <h1>{t('governance.meetings.title')}</h1>
      <p>{t('governance.meetings.intro')}</p>
      {props.canManage ? (
        <p class="actions">
          <a class="button" href="/meetings/new">
            {t('governance.meetings.schedule')}
          </a>
          <a class="button secondary" href="/governance/settings">
            {t('governance.settings.title')}
          </a>
        </p>
      ) : null}
      <h2>{t('governance.meetings.upcoming')}</h2>
      {upcoming.length === 0 ? <p>{t('governance.meetings.none_upcoming')}</p> : null}
      <MeetingTable c={c} meetings={upcoming} caption={t('governance.meetings.upcoming')} />
      {past.length > 0 ? (
        <>
          <h2>{t('governance.meetings.past')}</h2>
          <MeetingTable c={c} meetings={past} caption={t('governance.meetings.past')} />
        </>
      ) : null}
      <p>
        <a href="/documents">{t('nav.documents')}</a>
      </p>
    </section>
  );
}

export function ScheduleForm(props: {
  c: C;
  state: FormState;
  settings: GovernanceSettings;
  today: string;
}) {
  const { c, state, settings } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const earliest = formatDate(earliestMeetingDate('ordinary', props.today, settings), locale);
  return (
    <section>
      <h1>{t('governance.schedule.title')}</h1>
      <p>{t('governance.schedule.intro')}</p>
      <ul>
        <li>{t('governance.schedule.rule_ga', { days: settings.noticeDays, earliest })}</li>
        <li>{t('governance.schedule.rule_founding', { days: settings.foundingNoticeDays })}</li>
        <li>{t('governance.schedule.rule_board')}</li>
      </ul>
      <FormErrors state={state} />
      <form method="post" action="/meetings" class="stack">
        <Csrf c={c} />
        <input type="hidden" name="request_key" value={state.values['request_key'] ?? ''} />
        <Select
          state={state}
          name="kind"
          label={t('governance.field.kind')}
          options={MEETING_KINDS.map((k) => ({ value: k, label: t(`governance.kind.${k}`) }))}
          value="ordinary"
        />
        <Field
          state={state}
          name="title"
          label={t('governance.field.title')}
          hint={t('governance.field.title_hint')}
        />
        <Field
          state={state}
          name="date"
          type="date"
          label={t('governance.field.date')}
          hint={t('governance.field.date_hint')}
          required
        />
        <Field
          state={state}
          name="time"
          label={t('governance.field.time')}
          hint={t('governance.field.time_hint')}
          inputmode="numeric"
          value="18:00"
          required
        />
        <Select
          state={state}
          name="format"
          label={t('governance.field.format')}
          options={MEETING_FORMATS.map((f) => ({ value: f, label: t(`governance.format.${f}`) }))}
          value="hybrid"
        />
        <Field
          state={state}
          name="place"
          label={t('governance.field.place')}
          hint={t('governance.field.place_hint')}
        />
        <Field
          state={state}
          name="url"
          label={t('governance.field.url')}
          hint={t('governance.field.url_hint')}
        />
        <TextArea state={state} name="description" label={t('governance.field.description')} />
        <TextArea
          state={state}
          name="items"
          label={t('governance.field.items')}
          hint={t('governance.field.items_hint')}
        />
        <button type="submit">{t('governance.schedule.submit')}</button>
      </form>
    </section>
  );
}

export function MeetingFacts(props: { c: C; meeting: Meeting; showUrl: boolean }) {
  const { c, meeting: m } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <dl class="facts">
      <dt>{t('governance.field.when')}</dt>
      <dd>{when(c, m)}</dd>
      <dt>{t('governance.field.kind')}</dt>
      <dd>{t(`governance.kind.${m.kind}`)}</dd>
      <dt>{t('governance.field.format')}</dt>
      <dd>{t(`governance.format.${m.format}`)}</dd>
      {m.place ? (
        <>
          <dt>{t('governance.field.place')}</dt>
          <dd>{m.place}</dd>
        </>
      ) : null}
      {m.url ? (
        <>
          <dt>{t('governance.field.url')}</dt>
          <dd>
            {props.showUrl ? (
              <a href={m.url} rel="noopener noreferrer">
                {m.url}
              </a>
            ) : (
              t('governance.meeting.url_for_members')
            )}
          </dd>
        </>
      ) : null}
      {m.noticeSentAt ? (
        <>
          <dt>{t('governance.meeting.notice_sent')}</dt>
          <dd>{formatInstant(m.noticeSentAt, tz(c), locale)}</dd>
        </>
      ) : null}
      {m.proposalDeadlineOn ? (
        <>
          <dt>{t('governance.meeting.proposal_deadline')}</dt>
          <dd>{formatDate(m.proposalDeadlineOn, locale)}</dd>
        </>
      ) : null}
      {m.publicationOn ? (
        <>
          <dt>{t('governance.meeting.publication')}</dt>
          <dd>{formatDate(m.publicationOn, locale)}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** The published annual pages the accounts and the budget items link to (finance). */
export type AgendaDocuments = { accountsYear: number | null; budgetYear: number | null };

function Agenda(props: { c: C; agenda: AgendaItem[]; documents?: AgendaDocuments }) {
  const t = props.c.get('t');
  const docs = props.documents;
  const linkFor = (item: AgendaItem) => {
    const year =
      item.kind === 'accounts'
        ? docs?.accountsYear
        : item.kind === 'budget_fee'
          ? docs?.budgetYear
          : null;
    if (year === null || year === undefined) return null;
    return (
      <p>
        <a href={`/finance/annual/${year}`}>
          {t(
            item.kind === 'accounts'
              ? 'governance.agenda.accounts_link'
              : 'governance.agenda.budget_link',
            {
              year: String(year),
            },
          )}
        </a>
      </p>
    );
  };
  return (
    <ol class="agenda">
      {props.agenda.map((item) => (
        <li>
          {agendaTitle(t, item)}
          {item.description ? <p class="muted">{item.description}</p> : null}
          {linkFor(item)}
        </li>
      ))}
    </ol>
  );
}

export function ProposalList(props: { c: C; proposals: Proposal[] }) {
  const t = props.c.get('t');
  return (
    <ul>
      {props.proposals.map((p) => (
        <li>
          <a href={`/meetings/${p.meetingId}/proposals/${p.id}`}>
            {t('governance.proposal.number', { number: p.number })}: {p.title}
          </a>{' '}
          <span class="muted">
            ({t(`governance.proposal_kind.${p.kind}`)} · {p.memberName})
          </span>
          {p.status === 'withdrawn' ? (
            <>
              {' '}
              <span class="badge">{t('governance.proposal.withdrawn')}</span>
            </>
          ) : null}
          {p.late ? (
            <>
              {' '}
              <span class="badge">{t('governance.proposal.late_badge')}</span>
            </>
          ) : null}
          {p.recommendation && p.recommendation !== 'none' ? (
            <>
              {' '}
              <span class="badge">{t(`governance.recommendation.${p.recommendation}`)}</span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function MeetingPage(props: {
  c: C;
  meeting: Meeting;
  agenda: AgendaItem[];
  proposals: Proposal[];
  seesAll: boolean;
  isMember: boolean;
  canManage: boolean;
  today: string;
  documents?: AgendaDocuments;
  officers?: { chair: string | null; secretary: string | null };
  /** The founding meeting's registration form (its state after a failed submit). */
  signup?: FormState;
  /** Whether the viewer may open the meeting's minutes (published, or theirs to write). */
  minutesLink?: boolean;
  /** Proxies are allowed and the meeting is ahead or under way (proxies.routes). */
  proxyLink?: boolean;
}) {
  const { c, meeting: m } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const open = m.status === 'scheduled';
  const onTime = proposalOnTime(m.proposalDeadlineOn, props.today);
  return (
    <article>
      <h1>{meetingTitle(t, m)}</h1>
      {m.status === 'cancelled' ? (
        <p class="alert" role="status">
          {t('governance.meeting.cancelled', { reason: m.cancelReason ?? '' })}
        </p>
      ) : null}
      {m.status === 'closed' && m.closedAt ? (
        <p class="alert" role="status">
          {t('governance.meeting.closed', {
            when: formatInstant(m.closedAt, tz(c), locale),
          })}
        </p>
      ) : null}
      {m.status === 'in_progress' ? (
        <p role="status">
          <strong>{t('governance.meeting.in_progress')}</strong>
        </p>
      ) : null}
      {props.canManage ? (
        <p class="actions">
          <a class="button" href={`/meetings/${m.id}/manage`}>
            {t('governance.manage.title')}
          </a>{' '}
          <a class="button secondary" href={`/meetings/${m.id}/register`}>
            {t('votes.register.link')}
          </a>
        </p>
      ) : null}
      {m.status !== 'cancelled' && (props.isMember || props.canManage) ? (
        <p>
          <a href={`/meetings/${m.id}/votes`}>{t('votes.link')}</a>
          {m.kind !== 'board' ? (
            <>
              {' '}
              · <a href={`/meetings/${m.id}/elections`}>{t('elections.link')}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {props.minutesLink ? (
        <p>
          <a href={`/meetings/${m.id}/minutes`}>{t('minutes.link')}</a>
        </p>
      ) : null}
      {props.proxyLink && props.isMember ? (
        <p>
          <a href={`/meetings/${m.id}/proxy`}>{t('proxies.link')}</a>
        </p>
      ) : null}
      <MeetingFacts c={c} meeting={m} showUrl={props.isMember || props.canManage} />
      {props.officers?.chair || props.officers?.secretary ? (
        <dl class="facts">
          <dt>{t('governance.meeting.chair')}</dt>
          <dd>{props.officers.chair ?? '–'}</dd>
          <dt>{t('governance.meeting.secretary')}</dt>
          <dd>{props.officers.secretary ?? '–'}</dd>
        </dl>
      ) : null}
      {m.description ? <p class="doc">{m.description}</p> : null}
      <FoundingSignup c={c} meeting={m} state={props.signup ?? emptyForm()} />
      <h2>{t('governance.meeting.agenda')}</h2>
      <Agenda
        c={c}
        agenda={props.agenda}
        {...(props.documents ? { documents: props.documents } : {})}
      />
      {takesProposals(m.kind) ? (
        <section aria-labelledby="proposals">
          <h2 id="proposals">{t('governance.meeting.proposals')}</h2>
          {props.seesAll ? null : m.publicationOn ? (
            <p>
              {t('governance.meeting.proposals_published_on', {
                date: formatDate(m.publicationOn, locale),
              })}
            </p>
          ) : null}
          {props.proposals.length > 0 ? (
            <>
              {props.seesAll ? null : <h3>{t('governance.meeting.your_proposals')}</h3>}
              <ProposalList c={c} proposals={props.proposals} />
            </>
          ) : props.seesAll ? (
            <p>{t('governance.meeting.no_proposals')}</p>
          ) : null}
          {open && props.isMember && onTime ? (
            <p>
              <a class="button" href={`/meetings/${m.id}/proposals/new`}>
                {t('governance.proposal.new')}
              </a>
            </p>
          ) : null}
          {open && props.isMember && !onTime ? (
            <p class="muted">{t('governance.meeting.deadline_passed')}</p>
          ) : null}
          {!c.get('user') ? (
            <p>
              <a href={`/login?next=${encodeURIComponent(`/meetings/${m.id}`)}`}>
                {t('governance.meeting.login_for_proposals')}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
      <p>
        <a href="/documents/statutes">{t('association.documents.statutes')}</a> ·{' '}
        <a href="/meetings">{t('governance.meetings.all')}</a>
      </p>
    </article>
  );
}

export function ManagePage(props: {
  c: C;
  meeting: Meeting;
  agenda: AgendaItem[];
  proposals: Proposal[];
  state: FormState;
}) {
  const { c, meeting: m, state } = props;
  const t = c.get('t');
  const open = m.status === 'scheduled';
  const base = `/meetings/${m.id}`;
  return (
    <section>
      <h1>
        {t('governance.manage.title')}: {meetingTitle(t, m)}
      </h1>
      <p>
        <a href={base}>{t('governance.manage.public_page')}</a>
      </p>
      <FormErrors state={state} />
      <MeetingFacts c={c} meeting={m} showUrl />
      <h2>{t('governance.meeting.agenda')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col" class="num">
                #
              </th>
              <th scope="col">{t('governance.field.item')}</th>
              <th scope="col">{t('governance.manage.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.agenda.map((item, i) => {
              const title = agendaTitle(t, item);
              return (
                <tr>
                  <td class="num">{i + 1}</td>
                  <td>
                    {title}
                    {item.mandatory ? (
                      <>
                        {' '}
                        <span class="badge">{t('governance.manage.mandatory')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>
                    {open ? (
                      <div class="actions">
                        {(['up', 'down'] as const).map((direction) => (
                          <form method="post" action={`${base}/agenda/${item.id}/move`}>
                            <Csrf c={c} />
                            <input type="hidden" name="direction" value={direction} />
                            <button
                              type="submit"
                              class="secondary"
                              aria-label={t(`governance.manage.move_${direction}_label`, {
                                title,
                              })}
                            >
                              {t(`governance.manage.move_${direction}`)}
                            </button>
                          </form>
                        ))}
                        {item.mandatory ? null : (
                          <form method="post" action={`${base}/agenda/${item.id}/delete`}>
                            <Csrf c={c} />
                            <button
                              type="submit"
                              class="danger"
                              aria-label={t('governance.manage.delete_label', { title })}
                            >
                              {t('governance.manage.delete')}
                            </button>
                          </form>
                        )}
                      </div>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {open ? (
        <form method="post" action={`${base}/agenda`} class="stack card">
          <h3>{t('governance.manage.add_item')}</h3>
          <Csrf c={c} />
          <Field state={state} name="title" label={t('governance.field.item')} required />
          <TextArea state={state} name="description" label={t('governance.field.description')} />
          <button type="submit">{t('governance.manage.add_item')}</button>
        </form>
      ) : null}
      {takesProposals(m.kind) ? (
        <>
          <h2>{t('governance.meeting.proposals')}</h2>
          {props.proposals.length === 0 ? <p>{t('governance.meeting.no_proposals')}</p> : null}
          <ProposalList c={c} proposals={props.proposals} />
          {open ? (
            <p>
              <a class="button secondary" href={`${base}/proposals/late`}>
                {t('governance.late.title')}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
      {open ? (
        <form method="post" action={`${base}/cancel`} class="stack card">
          <h2>{t('governance.cancel.title')}</h2>
          <p>{t('governance.cancel.intro')}</p>
          <Csrf c={c} />
          <TextArea state={state} name="reason" label={t('governance.cancel.reason')} required />
          <button type="submit" class="danger">
            {t('governance.cancel.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}
