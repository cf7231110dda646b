import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { DecisionForms } from './applications.views.js';
import {
  AcceptancesTable,
  date,
  instant,
  OfficeTermsTable,
  PeriodsTable,
  StatusBadge,
  statusKey,
  typeLabel,
} from './members.components.js';
import {
  AssignOfficeForm,
  EditMemberForm,
  EndTermForm,
  StatusForm,
  type DetailForms,
} from './member-actions.views.js';
import type { MemberDetail } from './members.queries.js';
import type { MemberAuditEntry, StatusChange } from './member-history.repository.js';

export function MemberDetailPage(props: {
  c: Context<AppEnv>;
  detail: MemberDetail;
  currentYear: number;
  today: string;
  forms: DetailForms;
}) {
  const { c, detail, forms } = props;
  const { member: m } = detail;
  const t = c.get('t');
  const can = c.get('user')?.permissions;
  const canManageOffices = !!can?.has('offices.manage');
  const openTerm = (endsOn: string | null) => endsOn === null || endsOn >= props.today;
  return (
    <section>
      <h1>
        {m.name} <span class="muted">#{m.memberNumber}</span>
      </h1>
      <div class="card">
        <dl class="facts">
          <dt>{t('members.field.status')}</dt>
          <dd>
            <StatusBadge c={c} status={m.status} />{' '}
            <span class="muted">{instant(c, m.statusChangedAt)}</span>
          </dd>
          <dt>{t('members.field.type')}</dt>
          <dd>{typeLabel(c, detail.type)}</dd>
          <dt>{t('members.field.member_number')}</dt>
          <dd>{m.memberNumber}</dd>
          <dt>{t('members.field.email')}</dt>
          <dd>{m.email ?? '–'}</dd>
          <dt>{t('members.field.phone')}</dt>
          <dd>{m.phone ?? '–'}</dd>
          <dt>{t('members.field.address_line')}</dt>
          <dd>{m.addressLine ?? '–'}</dd>
          <dt>{t('members.field.postal_code')}</dt>
          <dd>{m.postalCode ?? '–'}</dd>
          <dt>{t('members.field.city')}</dt>
          <dd>{m.city ?? '–'}</dd>
          <dt>{t('members.field.country')}</dt>
          <dd>{m.country ?? '–'}</dd>
          <dt>{t('members.field.org_number')}</dt>
          <dd>{m.orgNumber ?? '–'}</dd>
          <dt>{t('members.field.contact_person')}</dt>
          <dd>{m.contactPerson ?? '–'}</dd>
          <dt>{t('members.field.joined_on')}</dt>
          <dd>{date(c, m.joinedOn)}</dd>
          <dt>{t('members.detail.account')}</dt>
          <dd>{m.userId ? t('members.detail.has_account') : t('members.detail.no_account')}</dd>
          <dt>{t('members.detail.created')}</dt>
          <dd>{instant(c, m.createdAt)}</dd>
          <dt>{t('members.applications.note')}</dt>
          <dd>{m.applicationNote ?? '–'}</dd>
        </dl>
      </div>
      {can?.has('billing.read') ? (
        <p>
          <a href={`/billing/members/${m.id}`}>{t('billing.statement.link')}</a>
          {can.has('billing.manage') ? (
            <>
              {' · '}
              <a href={`/billing/invoices/new?member=${m.id}`}>{t('invoices.adhoc.link')}</a>
            </>
          ) : null}
        </p>
      ) : null}

      {can?.has('services.manage') ? (
        <p>
          <a href={`/admin/members/${m.id}/enforcements`}>{t('enforcement.link')}</a>
        </p>
      ) : null}

      {m.status === 'applied' && can?.has('members.approve') ? (
        <section aria-labelledby="decide-heading">
          <h2 id="decide-heading">{t('members.detail.decide')}</h2>
          <DecisionForms c={c} memberId={m.id} back="member" error={forms.decision ?? null} />
        </section>
      ) : null}
      {m.status !== 'applied' && can?.has('members.write') ? (
        <StatusForm c={c} member={m} state={forms.status} />
      ) : null}

      <h2>{t('members.detail.status_changes')}</h2>
      <StatusChangesTable c={c} changes={detail.statusChanges} />

      <h2>{t('members.periods.title')}</h2>
      <PeriodsTable c={c} periods={detail.periods} currentYear={props.currentYear} />

      <h2>{t('members.offices.title')}</h2>
      <OfficeTermsTable
        c={c}
        terms={detail.terms}
        {...(canManageOffices
          ? {
              actions: (term) =>
                openTerm(term.endsOn) ? (
                  <EndTermForm
                    c={c}
                    memberId={m.id}
                    term={term}
                    today={props.today}
                    state={forms.endTerm?.termId === term.id ? forms.endTerm.state : undefined}
                  />
                ) : null,
            }
          : {})}
      />
      {canManageOffices && (m.status === 'active' || forms.office) ? (
        <AssignOfficeForm c={c} memberId={m.id} today={props.today} state={forms.office} />
      ) : canManageOffices ? (
        <p class="muted">{t('members.detail.office_only_active')}</p>
      ) : null}

      <h2>{t('members.acceptances.title')}</h2>
      <AcceptancesTable c={c} acceptances={detail.acceptances} />

      {can?.has('members.write') ? (
        <EditMemberForm c={c} member={m} types={detail.types} state={forms.edit} />
      ) : null}

      <h2>{t('members.detail.audit')}</h2>
      <AuditTable c={c} entries={detail.audit} />
    </section>
  );
}

function StatusChangesTable(props: { c: Context<AppEnv>; changes: StatusChange[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.changes.length === 0) return <p class="muted">{t('members.detail.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('members.detail.at')}</th>
            <th scope="col">{t('members.detail.from')}</th>
            <th scope="col">{t('members.detail.to')}</th>
            <th scope="col">{t('members.detail.actor')}</th>
            <th scope="col">{t('members.detail.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {props.changes.map((s) => (
            <tr>
              <td>{instant(c, s.at)}</td>
              <td>{s.from ? t(statusKey(s.from)) : '–'}</td>
              <td>{t(statusKey(s.to))}</td>
              <td>{s.actorLabel}</td>
              <td>{s.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AuditTable(props: { c: Context<AppEnv>; entries: MemberAuditEntry[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.entries.length === 0) return <p class="muted">{t('members.detail.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('members.detail.at')}</th>
            <th scope="col">{t('members.detail.action')}</th>
            <th scope="col">{t('members.detail.actor')}</th>
            <th scope="col" class="optional">
              {t('members.detail.before')}
            </th>
            <th scope="col" class="optional">
              {t('members.detail.after')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr>
              <td>{instant(c, e.at)}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.actorLabel}</td>
              <td class="optional">{e.before ? <code>{e.before}</code> : ''}</td>
              <td class="optional">{e.after ? <code>{e.after}</code> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
