import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, FormErrors, TextArea, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import type { Refusal, Standing } from './access.js';
import type { MyService } from './service-access.usecases.js';

const k = (key: string) => key as MessageKey;

/** A failed request form: which service it was for, and the form as sent. */
export type RequestError = { slug: string; state: FormState };

/** Why a service is closed, as a plain sentence, with the way forward where there is one. */
function RefusalText(props: { c: Context<AppEnv>; refusal: Refusal; standing: Standing }) {
  const { c, refusal, standing } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const text = t(k(`services.refusal.${refusal}`), {
    due: standing.invoice ? formatDate(standing.invoice.dueDate, locale) : '',
    number: standing.invoice?.number ?? '',
  });
  const link: { href: string; label: MessageKey } | null =
    refusal === 'unpaid' || refusal === 'first_payment'
      ? { href: '/membership/invoices', label: 'services.refusal.pay_link' }
      : refusal === 'no_member' || refusal === 'not_active'
        ? { href: '/membership', label: 'services.refusal.membership_link' }
        : null;
  return (
    <p>
      {text}
      {link ? (
        <>
          {' '}
          <a href={link.href}>{t(link.label)}</a>
        </>
      ) : null}
    </p>
  );
}

function describe(c: Context<AppEnv>, item: MyService): string {
  const s = item.service;
  return c.get('locale') === 'en' ? s.descriptionEn || s.descriptionNb : s.descriptionNb;
}

function RequestForm(props: { c: Context<AppEnv>; item: MyService; error: RequestError | null }) {
  const { c, item } = props;
  const t = c.get('t');
  const slug = item.service.slug;
  const state: FormState =
    props.error?.slug === slug ? props.error.state : { values: {}, errors: {} };
  return (
    <form method="post" action={`/services/${slug}/request`}>
      <Csrf c={c} />
      {props.error?.slug === slug ? <FormErrors state={state} /> : null}
      <TextArea
        state={state}
        name="note"
        label={t('services.mine.note', { name: item.service.name })}
        hint={t('services.mine.note_hint')}
        rows={2}
      />
      <button type="submit">{t('services.mine.request')}</button>
    </form>
  );
}

function ServiceCard(props: {
  c: Context<AppEnv>;
  item: MyService;
  standing: Standing;
  error: RequestError | null;
}) {
  const { c, item } = props;
  const t = c.get('t');
  const s = item.service;
  const description = describe(c, item);
  const access = item.access;
  return (
    <article class="card" id={`service-${s.slug}`} aria-labelledby={`h-${s.slug}`}>
      <h3 id={`h-${s.slug}`}>{item.allowed ? <a href={s.url}>{s.name}</a> : s.name}</h3>
      {description ? <p>{description}</p> : null}
      {item.allowed ? (
        <p>
          <a class="button" href={s.url}>
            {t('services.mine.open', { name: s.name })}
          </a>
        </p>
      ) : null}
      {!item.allowed && access?.status === 'requested' ? (
        <p class="notice">{t('services.mine.pending')}</p>
      ) : null}
      {!item.allowed && (access?.status === 'refused' || access?.status === 'withdrawn') ? (
        <p class="warn">
          {t(k(`services.mine.${access.status}`))}
          {access.reason ? ` ${t('services.mine.reason', { reason: access.reason })}` : ''}
        </p>
      ) : null}
      {!item.allowed &&
      item.refusal &&
      item.refusal !== 'access_required' &&
      item.refusal !== props.standing.refusal ? (
        <RefusalText c={c} refusal={item.refusal} standing={props.standing} />
      ) : null}
      {item.canRequest ? <RequestForm c={c} item={item} error={props.error} /> : null}
    </article>
  );
}

export function MyServicesPage(props: {
  c: Context<AppEnv>;
  standing: Standing;
  services: MyService[];
  error: RequestError | null;
}) {
  const { c, standing } = props;
  const t = c.get('t');
  const usable = props.services.filter((i) => i.allowed);
  const requestable = props.services.filter((i) => !i.allowed && i.refusal === 'access_required');
  const closed = props.services.filter((i) => !i.allowed && i.refusal !== 'access_required');
  const membershipRefusal = standing.refusal;
  return (
    <section>
      <h1>{t('services.mine.title')}</h1>
      {membershipRefusal ? (
        <div class="warn" role="status">
          <RefusalText c={c} refusal={membershipRefusal} standing={standing} />
        </div>
      ) : standing.paidUntil ? (
        <p class="muted">
          {t('services.mine.paid_until', { date: formatDate(standing.paidUntil, c.get('locale')) })}
        </p>
      ) : null}
      {props.services.length === 0 ? <p class="muted">{t('services.mine.none')}</p> : null}
      {usable.length > 0 ? (
        <>
          <h2>{t('services.mine.usable')}</h2>
          {usable.map((item) => (
            <ServiceCard c={c} item={item} standing={standing} error={props.error} />
          ))}
        </>
      ) : null}
      {requestable.length > 0 ? (
        <>
          <h2>{t('services.mine.requestable')}</h2>
          {requestable.map((item) => (
            <ServiceCard c={c} item={item} standing={standing} error={props.error} />
          ))}
        </>
      ) : null}
      {closed.length > 0 ? (
        <>
          <h2>{t('services.mine.closed')}</h2>
          {closed.map((item) => (
            <ServiceCard c={c} item={item} standing={standing} error={props.error} />
          ))}
        </>
      ) : null}
    </section>
  );
}
