import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import { meetingTitle } from './governance.labels.js';
import type { Meeting } from './meetings.repository.js';
import type { ArchiveEntry, Confirmer, Minutes } from './minutes.repository.js';

type C = Context<AppEnv>;

function when(c: C, iso: string): string {
  return formatInstant(iso, c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('locale'));
}

/** The archive: meetings with minutes, newest first; officers also see drafts. */
export function MinutesArchivePage(props: { c: C; entries: ArchiveEntry[]; showStatus: boolean }) {
  const { c } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section class="stack">
      <h1>{t('minutes.archive.title')}</h1>
      <p>{t('minutes.archive.intro')}</p>
      {props.entries.length === 0 ? (
        <p>{t('minutes.archive.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('minutes.archive.date')}</th>
                <th scope="col">{t('minutes.archive.meeting')}</th>
                {props.showStatus ? <th scope="col">{t('minutes.archive.status')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr>
                  <td>{formatDate(e.meetingDate, locale)}</td>
                  <td>
                    <a href={`/meetings/${e.meetingId}/minutes`}>{meetingTitle(t, e)}</a>
                  </td>
                  {props.showStatus ? <td>{t(`minutes.status.${e.status}`)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ConfirmerList(props: { c: C; confirmers: Confirmer[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.confirmers.length === 0) return <p>{t('minutes.confirmers.none')}</p>;
  return (
    <ul id="confirmers">
      {props.confirmers.map((p) => (
        <li>
          {p.name} –{' '}
          {p.confirmedAt
            ? t('minutes.confirmers.confirmed', { when: when(c, p.confirmedAt) })
            : t('minutes.confirmers.pending')}
        </li>
      ))}
    </ul>
  );
}

/** A meeting's minutes: the text, its state, and what the viewer may do with it. */
export function MinutesPage(props: {
  c: C;
  meeting: Meeting;
  minutes: Minutes | null;
  confirmers: Confirmer[];
  eligible: { memberId: string; memberNumber: number; name: string }[];
  officer: boolean;
  state: FormState;
}) {
  const { c, meeting, minutes, state } = props;
  const t = c.get('t');
  const base = `/meetings/${meeting.id}/minutes`;
  const held = meeting.status === 'in_progress' || meeting.status === 'closed';
  const memberId = c.get('user')?.memberId ?? null;
  const mine = props.confirmers.find((p) => p.memberId === memberId) ?? null;
  const pick = [{ value: '', label: t('minutes.confirmers.pick') }];
  const choices = [
    ...pick,
    ...props.eligible.map((e) => ({ value: e.memberId, label: `${e.name} (${e.memberNumber})` })),
  ];
  const chosen = props.confirmers.map((p) => p.memberId);
  return (
    <article class="stack">
      <p>
        <a href={`/meetings/${meeting.id}`}>{meetingTitle(t, meeting)}</a> ·{' '}
        <a href="/governance/minutes">{t('minutes.archive.link')}</a>
      </p>
      <h1>
        {t('minutes.title')}: {meetingTitle(t, meeting)}
      </h1>
      <FormErrors state={state} />
      {!minutes ? (
        <>
          <p>{t('minutes.none')}</p>
          {props.officer && held ? (
            <form method="post" action={base} class="stack">
              <Csrf c={c} />
              <p class="hint">{t('minutes.draft.hint')}</p>
              <button type="submit">{t('minutes.draft.button')}</button>
            </form>
          ) : props.officer ? (
            <p class="muted">{t('minutes.not_held')}</p>
          ) : null}
        </>
      ) : (
        <>
          <p class="muted" id="minutes-status">
            {t(`minutes.status.${minutes.status}`)} ·{' '}
            {t('minutes.revision', { revision: minutes.revision })}
          </p>
          {minutes.status === 'locked' && minutes.lockedAt ? (
            <p class="notice" role="status">
              {t('minutes.locked.note', { when: when(c, minutes.lockedAt) })}{' '}
              <a href={`/meetings/${meeting.id}/minutes.pdf`}>{t('minutes.pdf.link')}</a>
            </p>
          ) : null}
          {props.officer && minutes.status === 'draft' ? (
            <p class="actions">
              <a class="button" href={`${base}/edit`}>
                {t('minutes.edit.link')}
              </a>
            </p>
          ) : null}
          <pre class="doc card" id="minutes-body">
            {minutes.body}
          </pre>
          <h2>
            {minutes.status === 'locked'
              ? t('minutes.confirmed_by')
              : t('minutes.confirmers.title')}
          </h2>
          <ConfirmerList c={c} confirmers={props.confirmers} />
          {minutes.status === 'locked' && minutes.bodySha256 ? (
            <p class="muted">
              {/* In groups of eight, so a phone can wrap it. */}
              {t('minutes.checksum', { sha: minutes.bodySha256.replace(/(.{8})(?=.)/g, '$1 ') })}
            </p>
          ) : null}
          {mine && minutes.status === 'confirming' && !mine.confirmedAt ? (
            <form method="post" action={`${base}/confirm`} class="stack">
              <Csrf c={c} />
              <input type="hidden" name="revision" value={String(minutes.revision)} />
              <h2>{t('minutes.confirm.title')}</h2>
              <p>{t('minutes.confirm.intro', { revision: minutes.revision })}</p>
              <button type="submit">{t('minutes.confirm.button')}</button>
            </form>
          ) : null}
          {mine?.confirmedAt ? (
            <p>{t('minutes.confirm.done_yours', { when: when(c, mine.confirmedAt) })}</p>
          ) : null}
          {props.officer && minutes.status === 'draft' ? (
            <>
              <form method="post" action={`${base}/confirmers`} class="stack">
                <Csrf c={c} />
                <p>{t('minutes.confirmers.intro')}</p>
                {props.eligible.length === 0 ? (
                  <p class="warn">{t('minutes.confirmers.none_eligible')}</p>
                ) : (
                  <>
                    <Select
                      state={state}
                      name="first"
                      label={t('minutes.confirmers.first')}
                      options={choices}
                      value={chosen[0] ?? ''}
                    />
                    <Select
                      state={state}
                      name="second"
                      label={t('minutes.confirmers.second')}
                      options={choices}
                      value={chosen[1] ?? ''}
                    />
                    <button type="submit" class="secondary">
                      {t('minutes.confirmers.choose')}
                    </button>
                  </>
                )}
              </form>
              <form method="post" action={`${base}/send`} class="stack">
                <Csrf c={c} />
                <input type="hidden" name="revision" value={String(minutes.revision)} />
                <p class="hint">{t('minutes.send.hint')}</p>
                <button type="submit">{t('minutes.send.button')}</button>
              </form>
            </>
          ) : null}
          {props.officer && minutes.status === 'confirming' ? (
            <form method="post" action={`${base}/send-back`}>
              <Csrf c={c} />
              <button type="submit" class="secondary">
                {t('minutes.send_back.button')}
              </button>
            </form>
          ) : null}
        </>
      )}
    </article>
  );
}

/**
 * The secretary's editor. After a refused (stale) save the text typed stays in the field
 * and the version saved meanwhile is shown below it, with its revision in the form, so a
 * second save (after comparing) goes through.
 */
export function MinutesEditPage(props: {
  c: C;
  meeting: Meeting;
  minutes: Minutes;
  state: FormState;
  theirs: Minutes | null;
}) {
  const { c, meeting, state } = props;
  const t = c.get('t');
  return (
    <section class="stack">
      <p>
        <a href={`/meetings/${meeting.id}/minutes`}>
          {t('minutes.title')}: {meetingTitle(t, meeting)}
        </a>
      </p>
      <h1>{t('minutes.edit.title')}</h1>
      <p class="muted">{t('minutes.revision', { revision: props.minutes.revision })}</p>
      <FormErrors state={state} />
      <form method="post" action={`/meetings/${meeting.id}/minutes/edit`} class="stack">
        <Csrf c={c} />
        <input
          type="hidden"
          name="revision"
          value={state.values['revision'] ?? String(props.minutes.revision)}
        />
        <TextArea
          state={state}
          name="body"
          label={t('minutes.field.body')}
          hint={t('minutes.field.body_hint')}
          rows={30}
          required
        />
        <button type="submit">{t('minutes.edit.save')}</button>
      </form>
      {props.theirs ? (
        <>
          <h2>{t('minutes.edit.theirs', { revision: props.theirs.revision })}</h2>
          <pre class="doc card" id="their-version">
            {props.theirs.body}
          </pre>
        </>
      ) : null}
    </section>
  );
}
