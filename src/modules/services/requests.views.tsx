import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, Field, FormErrors, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { ServiceNav, useTime } from './catalogue.views.js';
import type { AccessListItem, Service } from './services.repository.js';

const k = (key: string) => key as MessageKey;

/** A failed decision: which row it was for, and the form as sent. */
export type DecisionError = { accessId: string; state: FormState };

function DecisionForms(props: {
  c: Context<AppEnv>;
  item: AccessListItem;
  back: string;
  error: DecisionError | null;
}) {
  const { c, item } = props;
  const t = c.get('t');
  const state: FormState =
    props.error?.accessId === item.id ? props.error.state : { values: {}, errors: {} };
  const action = `/admin/services/requests/${item.id}`;
  const canGrant = item.status !== 'granted';
  const canRefuse = item.status === 'requested';
  const canWithdraw = item.status === 'granted';
  return (
    <div>
      {props.error?.accessId === item.id ? <FormErrors state={state} /> : null}
      <form method="post" action={action}>
        <Csrf c={c} />
        <input type="hidden" name="back" value={props.back} />
        {canRefuse || canWithdraw ? (
          <Field
            state={state}
            name="reason"
            idPrefix={`${item.id}-`}
            label={t('services.requests.reason')}
            hint={t('services.requests.reason_hint')}
          />
        ) : null}
        <p class="actions">
          {canGrant ? (
            <button type="submit" name="decision" value="grant">
              {t('services.requests.grant')}
            </button>
          ) : null}
          {canRefuse ? (
            <button type="submit" name="decision" value="refuse" class="danger">
              {t('services.requests.refuse')}
            </button>
          ) : null}
          {canWithdraw ? (
            <button type="submit" name="decision" value="withdraw" class="danger">
              {t('services.requests.withdraw')}
            </button>
          ) : null}
        </p>
      </form>
    </div>
  );
}

function AccessCard(props: {
  c: Context<AppEnv>;
  item: AccessListItem;
  back: string;
  showService: boolean;
  error: DecisionError | null;
}) {
  const { c, item } = props;
  const t = c.get('t');
  const time = useTime(c);
  return (
    <article class="card" id={`access-${item.id}`}>
      <h3>
        {item.memberName} <span class="muted">#{item.memberNumber}</span>
        {props.showService ? ` – ${item.serviceName}` : ''}
      </h3>
      <dl class="facts">
        <dt>{t('services.requests.status')}</dt>
        <dd>
          <span class="badge">{t(k(`services.access.${item.status}`))}</span>
        </dd>
        <dt>{t('services.requests.member_status')}</dt>
        <dd>{t(k(`members.status.${item.memberStatus}`))}</dd>
        {item.requestedAt ? (
          <>
            <dt>{t('services.requests.requested_at')}</dt>
            <dd>{time(item.requestedAt)}</dd>
          </>
        ) : null}
        {item.note ? (
          <>
            <dt>{t('services.requests.note')}</dt>
            <dd>{item.note}</dd>
          </>
        ) : null}
        {item.reason ? (
          <>
            <dt>{t('services.requests.reason_given')}</dt>
            <dd>{item.reason}</dd>
          </>
        ) : null}
      </dl>
      <DecisionForms c={c} item={item} back={props.back} error={props.error} />
    </article>
  );
}

export function RequestsQueuePage(props: {
  c: Context<AppEnv>;
  items: AccessListItem[];
  error: DecisionError | null;
}) {
  const { c } = props;
  const t = c.get('t');
  return (
    <section>
      <p>
        <a href="/admin/services">{t('services.nav.all')}</a>
      </p>
      <h1>{t('services.requests.title')}</h1>
      {props.items.length === 0 ? (
        <p class="muted">{t('services.requests.none')}</p>
      ) : (
        props.items.map((item) => (
          <AccessCard
            c={c}
            item={item}
            back="/admin/services/requests"
            showService
            error={props.error}
          />
        ))
      )}
    </section>
  );
}

export function ServiceAccessPage(props: {
  c: Context<AppEnv>;
  service: Service;
  items: AccessListItem[];
  grantState: FormState;
  error: DecisionError | null;
}) {
  const { c, service } = props;
  const t = c.get('t');
  const back = `/admin/services/${service.id}/access`;
  const pending = props.items.filter((i) => i.status === 'requested');
  const granted = props.items.filter((i) => i.status === 'granted');
  const closed = props.items.filter((i) => i.status === 'refused' || i.status === 'withdrawn');
  return (
    <section>
      <ServiceNav c={c} service={service} current={back} />
      <h1>{t('services.access_page.title', { name: service.name })}</h1>
      <p>{t(k(`services.access_page.policy.${service.accessPolicy}`))}</p>
      <h2>{t('services.access_page.grant_heading')}</h2>
      <FormErrors state={props.grantState} />
      <form method="post" action={`${back}/grant`} class="filters">
        <Csrf c={c} />
        <Field
          state={props.grantState}
          name="memberNumber"
          label={t('services.access_page.member_number')}
          inputmode="numeric"
        />
        <button type="submit">{t('services.requests.grant')}</button>
      </form>
      <h2>{t('services.access_page.pending', { count: pending.length })}</h2>
      {pending.map((item) => (
        <AccessCard c={c} item={item} back={back} showService={false} error={props.error} />
      ))}
      <h2>{t('services.access_page.granted', { count: granted.length })}</h2>
      {granted.length === 0 ? <p class="muted">{t('services.access_page.none')}</p> : null}
      {granted.map((item) => (
        <AccessCard c={c} item={item} back={back} showService={false} error={props.error} />
      ))}
      {closed.length > 0 ? (
        <>
          <h2>{t('services.access_page.closed', { count: closed.length })}</h2>
          {closed.map((item) => (
            <AccessCard c={c} item={item} back={back} showService={false} error={props.error} />
          ))}
        </>
      ) : null}
    </section>
  );
}
