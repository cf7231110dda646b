import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Csrf } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import type { OutboxItem, OutboxMessage, OutboxStatus } from './outbox-admin.repository.js';
import { OUTBOX_STATUSES } from './outbox-admin.repository.js';

function useTime(c: Context<AppEnv>) {
  const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const locale = c.get('locale');
  return (iso: string | null) =>
    iso ? <time datetime={iso}>{formatInstant(iso, timeZone, locale)}</time> : '–';
}

const statusKey = (s: OutboxStatus) => `admin.outbox.status.${s}` as MessageKey;

export function AdminIndexPage(props: {
  c: Context<AppEnv>;
  outboxCounts: Record<string, number> | null;
}) {
  const { c } = props;
  const t = c.get('t');
  const p = c.get('user')!.permissions;
  const links: { href: string; label: MessageKey; hint: MessageKey; show: boolean }[] = [
    {
      href: '/admin/settings',
      label: 'admin.link.settings',
      hint: 'admin.link.settings_hint',
      show: p.has('settings.manage'),
    },
    {
      href: '/admin/membership-types',
      label: 'admin.link.membership_types',
      hint: 'admin.link.membership_types_hint',
      show: p.has('settings.manage'),
    },
    {
      href: '/admin/services',
      label: 'services.admin.link',
      hint: 'services.admin.link_hint',
      show: p.has('services.manage'),
    },
    {
      href: '/admin/outbox',
      label: 'admin.link.outbox',
      hint: 'admin.link.outbox_hint',
      show: p.has('outbox.read'),
    },
    {
      href: '/admin/api-tokens',
      label: 'admin.link.api_tokens',
      hint: 'admin.link.api_tokens_hint',
      show: p.has('api_tokens.manage'),
    },
  ];
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <p>{t('admin.intro')}</p>
      <ul>
        {links
          .filter((l) => l.show)
          .map((l) => (
            <li>
              <a href={l.href}>{t(l.label)}</a> – <span class="muted">{t(l.hint)}</span>
              {l.href === '/admin/outbox' && props.outboxCounts ? (
                <OutboxCounts c={c} counts={props.outboxCounts} />
              ) : null}
            </li>
          ))}
      </ul>
    </section>
  );
}

function OutboxCounts(props: { c: Context<AppEnv>; counts: Record<string, number> }) {
  const t = props.c.get('t');
  return (
    <ul class="actions" aria-label={t('admin.outbox.counts')}>
      {OUTBOX_STATUSES.map((s) => (
        <li class="badge">
          <a href={`/admin/outbox?status=${s}`}>
            {t(statusKey(s))}: <span data-status={s}>{props.counts[s] ?? 0}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function OutboxPage(props: {
  c: Context<AppEnv>;
  counts: Record<string, number>;
  status: OutboxStatus | undefined;
  items: OutboxItem[];
  older: string | null;
  paged: boolean;
}) {
  const { c, status } = props;
  const t = c.get('t');
  const time = useTime(c);
  const statusParam = status ? `status=${status}&` : '';
  return (
    <section>
      <h1>{t('admin.outbox.title')}</h1>
      <p>{t('admin.outbox.intro')}</p>
      <OutboxCounts c={c} counts={props.counts} />
      <form method="get" action="/admin/outbox" class="filters">
        <div class="field">
          <label for="f-status">{t('admin.outbox.status')}</label>
          <select id="f-status" name="status">
            <option value="">{t('admin.outbox.any')}</option>
            {OUTBOX_STATUSES.map((s) => (
              <option value={s} selected={s === status}>
                {t(statusKey(s))}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('list.filter')}</button>
      </form>
      {props.items.length === 0 ? (
        <p>{t('list.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.outbox.subject')}</th>
                <th scope="col">{t('admin.outbox.recipient')}</th>
                <th scope="col">{t('admin.outbox.status')}</th>
                <th scope="col" class="optional">
                  {t('admin.outbox.attempts')}
                </th>
                <th scope="col" class="optional">
                  {t('admin.outbox.created')}
                </th>
                <th scope="col" class="optional">
                  {t('admin.outbox.sent')}
                </th>
                <th scope="col" class="optional">
                  {t('admin.outbox.last_error')}
                </th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((m) => (
                <tr>
                  <td>
                    <a href={`/admin/outbox/${m.id}`}>{m.subject ?? m.kind}</a>
                  </td>
                  <td>{m.recipient ?? '–'}</td>
                  <td>
                    <span class="badge">{t(statusKey(m.status))}</span>
                  </td>
                  <td class="optional">{m.attempts}</td>
                  <td class="optional">{time(m.createdAt)}</td>
                  <td class="optional">{time(m.sentAt)}</td>
                  <td class="optional">{m.lastError ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label={t('admin.outbox.title')}>
        {props.paged ? (
          <a href={`/admin/outbox${status ? `?status=${status}` : ''}`}>
            {t('admin.outbox.first_page')}
          </a>
        ) : null}
        {props.older ? (
          <a href={`/admin/outbox?${statusParam}before=${props.older}`} rel="next">
            {t('admin.outbox.older')}
          </a>
        ) : null}
      </nav>
    </section>
  );
}

export function OutboxMessagePage(props: { c: Context<AppEnv>; message: OutboxMessage }) {
  const { c, message: m } = props;
  const t = c.get('t');
  const time = useTime(c);
  const retryable = (m.status === 'failed' || m.status === 'held') && !m.erased && !!m.recipient;
  return (
    <section>
      <p>
        <a href="/admin/outbox">{t('admin.outbox.back')}</a>
      </p>
      <h1>{t('admin.outbox.message_title', { subject: m.subject ?? m.kind })}</h1>
      <dl class="facts">
        <dt>{t('admin.outbox.recipient')}</dt>
        <dd>{m.recipient ?? '–'}</dd>
        <dt>{t('admin.outbox.status')}</dt>
        <dd>{t(statusKey(m.status))}</dd>
        <dt>{t('admin.outbox.attempts')}</dt>
        <dd>{m.attempts}</dd>
        <dt>{t('admin.outbox.created')}</dt>
        <dd>{time(m.createdAt)}</dd>
        <dt>{t('admin.outbox.next_attempt')}</dt>
        <dd>{m.status === 'pending' ? time(m.nextAttemptAt) : '–'}</dd>
        <dt>{t('admin.outbox.sent')}</dt>
        <dd>{time(m.sentAt)}</dd>
        {m.lastError ? (
          <>
            <dt>{t('admin.outbox.last_error')}</dt>
            <dd>{m.lastError}</dd>
          </>
        ) : null}
        {m.attachments.length > 0 ? (
          <>
            <dt>{t('admin.outbox.attachments')}</dt>
            <dd>{m.attachments.join(', ')}</dd>
          </>
        ) : null}
      </dl>
      {retryable ? (
        <form method="post" action={`/admin/outbox/${m.id}/retry`}>
          <Csrf c={c} />
          <button type="submit">{t('admin.outbox.retry')}</button>
        </form>
      ) : null}
      <h2>{t('admin.outbox.text')}</h2>
      {m.erased ? (
        <p class="muted">{t('admin.outbox.erased')}</p>
      ) : (
        <pre class="doc card">{m.text ?? ''}</pre>
      )}
    </section>
  );
}
