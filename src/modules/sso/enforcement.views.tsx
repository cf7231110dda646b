import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatInstant } from '../../app/dates.js';
import { Csrf } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import type { DeliveryEntry, EnforcementEntry } from './enforcement.repository.js';

type C = Context<AppEnv>;

function when(c: C, iso: string) {
  return formatInstant(iso, c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('locale'));
}

/** A message key built from a stored value, falling back to the value itself. */
function label(c: C, prefix: string, value: string) {
  const t = c.get('t');
  const key = `${prefix}.${value}` as MessageKey;
  const text = t(key);
  return text === key ? value : text;
}

function EnforcementTable(props: {
  c: C;
  entries: EnforcementEntry[];
  show: 'member' | 'service';
  back: string;
}) {
  const { c, entries } = props;
  const t = c.get('t');
  if (entries.length === 0) return <p class="muted">{t('enforcement.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('enforcement.col.when')}</th>
            <th scope="col">
              {props.show === 'member' ? t('enforcement.col.member') : t('enforcement.col.service')}
            </th>
            <th scope="col">{t('enforcement.col.action')}</th>
            <th scope="col">{t('enforcement.col.reason')}</th>
            <th scope="col">{t('enforcement.col.status')}</th>
            <th scope="col" class="num">
              {t('enforcement.col.attempts')}
            </th>
            <th scope="col">{t('enforcement.col.result')}</th>
            <th scope="col">
              <span class="visually-hidden">{t('enforcement.retry')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr data-enforcement={e.id} data-status={e.status}>
              <td>{when(c, e.createdAt)}</td>
              <td>
                {props.show === 'member' ? (
                  <a href={`/admin/members/${e.member.id}/enforcements`}>
                    {e.member.name} (#{e.member.memberNumber})
                  </a>
                ) : (
                  <a href={`/admin/services/${e.service.id}/enforcements`}>{e.service.name}</a>
                )}
              </td>
              <td>{label(c, 'enforcement.action', e.action)}</td>
              <td>{label(c, 'enforcement.reason', e.reason)}</td>
              <td>
                <span
                  class={`badge ${e.status === 'failed' ? 'suspended' : e.status === 'done' ? 'active' : 'applied'}`}
                >
                  {label(c, 'enforcement.status', e.status)}
                </span>
              </td>
              <td class="num">{e.attempts}</td>
              <td>
                {e.status === 'failed' && e.lastError ? (
                  <code>{e.lastError}</code>
                ) : (
                  (e.result ?? '')
                )}
              </td>
              <td>
                {e.status === 'failed' ? (
                  <form method="post" action={`/admin/enforcements/${e.id}/retry`}>
                    <Csrf c={c} />
                    <input type="hidden" name="back" value={props.back} />
                    <button type="submit">{t('enforcement.retry')}</button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ServiceEnforcementsPage(props: {
  c: C;
  service: { id: string; name: string };
  entries: EnforcementEntry[];
  deliveries: DeliveryEntry[];
}) {
  const { c, service } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('enforcement.title_service', { service: service.name })}</h1>
      <p>
        <a href={`/admin/services/${service.id}`}>{t('enforcement.back_service')}</a>
      </p>
      <p class="muted">{t('enforcement.intro')}</p>
      <EnforcementTable c={c} entries={props.entries} show="member" back="service" />
      <h2>{t('enforcement.deliveries')}</h2>
      {props.deliveries.length === 0 ? (
        <p class="muted">{t('enforcement.deliveries_none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('enforcement.col.when')}</th>
                <th scope="col">{t('enforcement.col.kind')}</th>
                <th scope="col">{t('enforcement.col.status')}</th>
                <th scope="col" class="num">
                  {t('enforcement.col.attempts')}
                </th>
                <th scope="col">{t('enforcement.col.result')}</th>
              </tr>
            </thead>
            <tbody>
              {props.deliveries.map((d) => (
                <tr data-delivery={d.id} data-status={d.status}>
                  <td>{when(c, d.createdAt)}</td>
                  <td>{label(c, 'enforcement.kind', d.kind)}</td>
                  <td>{label(c, 'enforcement.delivery', d.status)}</td>
                  <td class="num">{d.attempts}</td>
                  <td>{d.lastError ? <code>{d.lastError}</code> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function MemberEnforcementsPage(props: {
  c: C;
  member: { id: string; name: string; memberNumber: number };
  entries: EnforcementEntry[];
}) {
  const { c, member } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>
        {t('enforcement.title_member', { member: `${member.name} (#${member.memberNumber})` })}
      </h1>
      <p>
        <a href={`/members/${member.id}`}>{t('enforcement.back_member')}</a>
      </p>
      <p class="muted">{t('enforcement.intro')}</p>
      <EnforcementTable c={c} entries={props.entries} show="service" back="member" />
    </section>
  );
}
