import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import type { AssociationDocument, DocumentKind } from '../association/association.repository.js';
import { meetingTitle } from './governance.labels.js';
import type { Meeting } from './meetings.repository.js';
import { diffStats, hasChanges, type DiffPart } from './statutes-diff.js';

type C = Context<AppEnv>;

/**
 * A diff as HTML that works without JavaScript: the text with <ins> and <del>, and for
 * screen readers (which mostly do not announce those elements) a hidden word before each.
 */
export function DiffView(props: { c: C; parts: DiffPart[] }) {
  const t = props.c.get('t');
  const stats = diffStats(props.parts);
  if (!hasChanges(props.parts)) return <p>{t('governance.diff.no_changes')}</p>;
  return (
    <>
      <p class="muted">
        {t('governance.diff.summary', { inserted: stats.inserted, deleted: stats.deleted })}{' '}
        <span aria-hidden="true">
          <ins>{t('governance.diff.legend_ins')}</ins> <del>{t('governance.diff.legend_del')}</del>
        </span>
      </p>
      <div class="doc diff">
        {props.parts.map((p) =>
          p.op === 'equal' ? (
            p.text
          ) : p.op === 'insert' ? (
            <ins>
              <span class="visually-hidden">[{t('governance.diff.sr_ins')}: </span>
              {p.text}
              <span class="visually-hidden">]</span>
            </ins>
          ) : (
            <del>
              <span class="visually-hidden">[{t('governance.diff.sr_del')}: </span>
              {p.text}
              <span class="visually-hidden">]</span>
            </del>
          ),
        )}
      </div>
    </>
  );
}

function docLabel(c: C, kind: DocumentKind): string {
  const t = c.get('t');
  return kind === 'statutes' ? t('association.documents.statutes') : t('association.documents.aup');
}

export function DocumentChangesPage(props: {
  c: C;
  kind: DocumentKind;
  from: AssociationDocument;
  to: AssociationDocument;
  versions: AssociationDocument[];
  parts: DiffPart[];
  adoptedAt: Meeting | null;
  canSeeHistory: boolean;
}) {
  const { c, kind, from, to } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <article>
      <h1>
        {docLabel(c, kind)}: {t('governance.diff.title', { from: from.version, to: to.version })}
      </h1>
      <p>
        <a href={`/documents/${kind}/${to.version}`}>
          {t('association.documents.version', { version: to.version })}
        </a>
        {to.adoptedOn
          ? ` · ${t('association.documents.adopted', { date: formatDate(to.adoptedOn, locale) })}`
          : ` · ${t('association.documents.draft')}`}
        {props.adoptedAt ? (
          <>
            {' · '}
            {t('governance.diff.adopted_by')}{' '}
            <a href={`/meetings/${props.adoptedAt.id}`}>{meetingTitle(t, props.adoptedAt)}</a>
          </>
        ) : null}
      </p>
      {locale === 'en' && !(from.bodyEn && to.bodyEn) ? (
        <p class="warn">{t('governance.diff.nb_only')}</p>
      ) : null}
      {props.canSeeHistory && props.versions.length > 2 ? (
        <form method="get" action={`/documents/${kind}/${to.version}/changes`} class="filters">
          <Select
            state={{ values: { from: String(from.version) }, errors: {} }}
            name="from"
            label={t('governance.diff.compare_with')}
            options={props.versions
              .filter((v) => v.version !== to.version)
              .map((v) => ({
                value: String(v.version),
                label: t('association.documents.version', { version: v.version }),
              }))}
          />
          <button type="submit" class="secondary">
            {t('governance.diff.show')}
          </button>
        </form>
      ) : null}
      <DiffView c={c} parts={props.parts} />
    </article>
  );
}

export function NewVersionPage(props: {
  c: C;
  kind: DocumentKind;
  state: FormState;
  meetings: Meeting[];
  current: AssociationDocument | null;
}) {
  const { c, kind, state } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section>
      <h1>
        {t('governance.version.title')}: {docLabel(c, kind)}
      </h1>
      <p>{t('governance.version.intro')}</p>
      {props.current ? (
        <p class="muted">{t('governance.version.current', { version: props.current.version })}</p>
      ) : null}
      <FormErrors state={state} />
      <form method="post" action={`/governance/documents/${kind}/new`} class="stack">
        <Csrf c={c} />
        <Field state={state} name="title" label={t('governance.version.field_title')} required />
        <TextArea
          state={state}
          name="body_nb"
          label={t('governance.version.body_nb')}
          rows={24}
          required
        />
        <TextArea state={state} name="body_en" label={t('governance.version.body_en')} rows={12} />
        <Field
          state={state}
          name="adopted_on"
          type="date"
          label={t('governance.version.adopted_on')}
          hint={t('governance.version.adopted_on_hint')}
        />
        <Select
          state={state}
          name="meeting_id"
          label={t('governance.version.meeting')}
          options={[
            { value: '', label: t('governance.version.no_meeting') },
            ...props.meetings.map((m) => ({
              value: m.id,
              label: `${meetingTitle(t, m)} (${formatDate(m.meetingDate, locale)})`,
            })),
          ]}
        />
        <Field state={state} name="note" label={t('governance.version.note')} />
        <button type="submit">{t('governance.version.submit')}</button>
      </form>
    </section>
  );
}
