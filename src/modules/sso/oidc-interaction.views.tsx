import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import type { Refusal, Standing } from '../services/access.js';

/**
 * A page that sends the browser on with a meta refresh instead of a redirect: after a
 * form on our pages (login, consent) a redirect chain ending at the service would be
 * blocked by our Content-Security-Policy (form-action 'self' covers redirects).
 */
export function ContinuePage(props: { c: Context<AppEnv>; to: string; service: string }) {
  const t = props.c.get('t');
  return (
    <section>
      <h1>{t('sso.continue.title')}</h1>
      <p>{t('sso.continue.text', { service: props.service })}</p>
      <p>
        <a class="button" href={props.to}>
          {t('sso.continue.button')}
        </a>
      </p>
    </section>
  );
}

export function ExpiredPage(props: { c: Context<AppEnv> }) {
  const t = props.c.get('t');
  return (
    <section>
      <h1>{t('sso.expired.title')}</h1>
      <p class="alert" role="alert">
        {t('sso.expired.text')}
      </p>
      <p>
        <a href="/">{t('error.back_home')}</a>
      </p>
    </section>
  );
}

const SCOPE_TEXT: Record<string, MessageKey> = {
  openid: 'sso.scope.openid',
  profile: 'sso.scope.profile',
  email: 'sso.scope.email',
  groups: 'sso.scope.groups',
  membership: 'sso.scope.membership',
  offline_access: 'sso.scope.offline_access',
};

export function ConsentPage(props: {
  c: Context<AppEnv>;
  uid: string;
  service: string;
  scopes: string[];
}) {
  const { c } = props;
  const t = c.get('t');
  const user = c.get('user')!;
  return (
    <section>
      <h1>{t('sso.consent.title', { service: props.service })}</h1>
      <p>{t('sso.consent.as', { name: user.name, handle: user.handle })}</p>
      <p>{t('sso.consent.intro', { service: props.service })}</p>
      <ul>
        {props.scopes
          .filter((s) => SCOPE_TEXT[s])
          .map((s) => (
            <li>{t(SCOPE_TEXT[s]!)}</li>
          ))}
      </ul>
      <div class="actions">
        <form method="post" action={`/sso/interaction/${props.uid}/consent`}>
          <Csrf c={c} />
          <button type="submit">{t('sso.consent.allow')}</button>
        </form>
        <form method="post" action={`/sso/interaction/${props.uid}/abort`}>
          <Csrf c={c} />
          <button type="submit" class="secondary">
            {t('sso.consent.deny')}
          </button>
        </form>
      </div>
    </section>
  );
}

const ACTION: Record<Refusal, string> = {
  no_member: '/membership/apply',
  not_active: '/membership',
  suspended: '/membership',
  excluded: '/membership',
  unpaid: '/membership/invoices',
  first_payment: '/membership/invoices',
  service_unavailable: '/services',
  access_required: '/services',
  office_required: '/services',
};

/** The gate's answer: why this member cannot use the service now, and what to do. */
export function RefusedPage(props: {
  c: Context<AppEnv>;
  uid: string;
  service: string;
  refusal: Refusal;
  standing: Standing;
}) {
  const { c, refusal, standing } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const user = c.get('user')!;
  const invoice = standing.invoice;
  const status = standing.member ? t(`members.status.${standing.member.status}`) : '';
  const text = t(`sso.refused.${refusal}`, {
    status,
    number: invoice?.number ?? '',
    due: invoice ? formatDate(invoice.dueDate, locale) : '',
  });
  return (
    <section>
      <h1>{t('sso.refused.title', { service: props.service })}</h1>
      <p class="muted">{t('sso.refused.as', { name: user.name, handle: user.handle })}</p>
      <p class="alert" role="alert" data-refusal={refusal}>
        {text}
      </p>
      <p>
        <a class="button" href={ACTION[refusal]}>
          {t(`sso.refused.${refusal}.action`)}
        </a>
      </p>
      <form method="post" action={`/sso/interaction/${props.uid}/abort`}>
        <Csrf c={c} />
        <button type="submit" class="secondary">
          {t('sso.refused.back', { service: props.service })}
        </button>
        <p class="muted">{t('sso.refused.back_hint')}</p>
      </form>
    </section>
  );
}
