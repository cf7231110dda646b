import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, FormErrors, type FormState } from '../../app/forms.js';
import type { proposalOutcomeOf } from './adoption.usecases.js';

type C = Context<AppEnv>;
export type ProposalOutcome = Awaited<ReturnType<typeof proposalOutcomeOf>>;

/**
 * On the proposal page once voted on: adopted or not; for an amendment, the version it
 * became (with the diff) or the flag that the board must merge it by hand; for an appeal,
 * what became of the moderation decision.
 */
export function ProposalOutcomeView(props: {
  c: C;
  meetingId: string;
  proposalId: string;
  outcome: ProposalOutcome;
  canManageDocuments: boolean;
}) {
  const { c, outcome: o } = props;
  const t = c.get('t');
  if (!o.outcome) return null;
  const a = o.amendment;
  return (
    <section aria-labelledby="outcome" class="stack">
      <h2 id="outcome">{t('adoption.outcome.title')}</h2>
      <p>
        <strong>{t(`adoption.outcome.${o.outcome}`)}</strong>
      </p>
      {o.appeal ? <p>{t(`adoption.appeal.${o.appeal}`)}</p> : null}
      {a?.state === 'applied' ? (
        <p id="amendment-applied">
          {t(`adoption.applied.${a.kind}`, { version: a.version })}{' '}
          <a href={`/documents/${a.kind}/${a.version}/changes`}>{t('adoption.see_changes')}</a>
        </p>
      ) : null}
      {a?.state === 'needs_merge' ? (
        <>
          <p class="warn" id="amendment-needs-merge">
            {t(`adoption.needs_merge.${a.reason}`, {
              base: a.baseVersion ?? '–',
              current: a.currentVersion ?? '–',
            })}
          </p>
          {props.canManageDocuments ? (
            <div class="actions">
              <a class="button secondary" href={`/governance/documents/${a.kind}/new`}>
                {t('adoption.merge.publish')}
              </a>
              <form
                method="post"
                action={`/meetings/${props.meetingId}/proposals/${props.proposalId}/merged`}
              >
                <Csrf c={c} />
                <button type="submit">{t('adoption.merge.mark')}</button>
              </form>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

/** A refusal of "merged" (nothing published yet), with the way back. */
export function MergeRefusedPage(props: {
  c: C;
  meetingId: string;
  proposalId: string;
  state: FormState;
}) {
  const t = props.c.get('t');
  return (
    <section class="stack">
      <h1>{t('adoption.merge.mark')}</h1>
      <FormErrors state={props.state} />
      <p>
        <a href={`/meetings/${props.meetingId}/proposals/${props.proposalId}`}>
          {t('adoption.outcome.title')}
        </a>
      </p>
    </section>
  );
}
