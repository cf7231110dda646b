import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { MessageKey } from '../../app/i18n.js';
import { page } from '../../app/layout.js';
import type { Refusal, Standing } from '../services/access.js';

export type DiscourseRefusal = Refusal | 'email_unverified';

/** Where the member can do something about the refusal, and what the link says. */
function actionFor(
  refusal: DiscourseRefusal,
  standing: Standing | null,
): { href: string; label: MessageKey } {
  switch (refusal) {
    case 'unpaid':
    case 'first_payment':
      // Straight to the invoice to pay when there is one.
      return {
        href: standing?.invoice
          ? `/billing/invoices/${standing.invoice.number}`
          : '/membership/invoices',
        label: `sso.refused.${refusal}.action`,
      };
    case 'no_member':
      return { href: '/membership', label: 'sso.refused.no_member.action' };
    case 'not_active':
    case 'suspended':
    case 'excluded':
      return { href: '/membership', label: `sso.refused.${refusal}.action` };
    case 'service_unavailable':
    case 'access_required':
    case 'office_required':
      return { href: '/services', label: `sso.refused.${refusal}.action` };
    case 'email_unverified':
      return { href: '/account', label: 'discourse.action.account' };
  }
}

/**
 * The gate said no: why, and what to do, in the gate's own words (the same as at an
 * OpenID Connect login). Nothing has been sent to Discourse.
 */
export function renderDiscourseRefusal(
  c: Context<AppEnv>,
  opts: {
    service: { name: string; url: string };
    refusal: DiscourseRefusal;
    standing: Standing | null;
  },
) {
  const t = c.get('t');
  const locale = c.get('locale');
  const user = c.get('user');
  const { refusal, standing, service } = opts;
  const invoice = standing?.invoice;
  const reason =
    refusal === 'email_unverified'
      ? t('discourse.refused.email_unverified')
      : t(`sso.refused.${refusal}`, {
          status: standing?.member ? t(`members.status.${standing.member.status}`) : '',
          number: invoice?.number ?? '',
          due: invoice ? formatDate(invoice.dueDate, locale) : '',
        });
  const action = actionFor(refusal, standing);
  const title = t('sso.refused.title', { service: service.name });
  return page(c, {
    title,
    status: 403,
    body: (
      <section>
        <h1>{title}</h1>
        {user ? (
          <p class="muted">{t('sso.refused.as', { name: user.name, handle: user.handle })}</p>
        ) : null}
        <p class="alert" role="alert" data-refusal={refusal}>
          {reason}
        </p>
        <p>
          <a class="button" href={action.href}>
            {t(action.label)}
          </a>
        </p>
        <p>
          <a href={service.url}>{t('sso.refused.back', { service: service.name })}</a>
        </p>
        <p class="muted">{t('discourse.refused.nothing_sent')}</p>
      </section>
    ),
  });
}
