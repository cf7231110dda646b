import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import type { MessageKey } from '../../app/i18n.js';
import type { ClaimListItem } from './expenses.repository.js';
import { ClaimsTable } from './expenses.views.js';

export type QueueSection = {
  key: 'to_attest' | 'to_approve' | 'to_pay' | 'waiting' | 'recent';
  claims: ClaimListItem[];
};

/** The officers' queue: what this officer can act on now, and what waits for others. */
export function QueuePage(props: { c: Context<AppEnv>; sections: QueueSection[] }) {
  const { c } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('expenses.queue_title')}</h1>
      <p>
        <a href="/expenses">{t('expenses.back')}</a>
      </p>
      <p>{t('expenses.queue_intro')}</p>
      {props.sections.map((s) => (
        <section aria-labelledby={`q-${s.key}`} data-section={s.key}>
          <h2 id={`q-${s.key}`}>
            {t(`expenses.queue.${s.key}` as MessageKey)}{' '}
            <span class="muted">({s.claims.length})</span>
          </h2>
          <ClaimsTable c={c} claims={s.claims} showMember />
        </section>
      ))}
    </section>
  );
}
