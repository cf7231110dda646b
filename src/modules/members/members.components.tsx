import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import type { FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatOre } from '../../app/money.js';
import type { MembershipType } from './members.repository.js';
import type {
  DocumentAcceptance,
  MembershipPeriod,
  OfficeTerm,
} from './member-history.repository.js';
import { typeName } from './members.repository.js';
import type { MemberStatus, Office } from './members.tables.js';

// Pieces the membership pages share: badges, money, and the tables of a member's history.

export const statusKey = (s: MemberStatus): MessageKey => `members.status.${s}`;
export const officeKey = (o: Office): MessageKey => `members.office.${o}`;

export function StatusBadge(props: { c: Context<AppEnv>; status: MemberStatus }) {
  return <span class={`badge ${props.status}`}>{props.c.get('t')(statusKey(props.status))}</span>;
}

export function money(c: Context<AppEnv>, ore: number | null): string {
  const t = c.get('t');
  return ore === null
    ? t('members.fee_none')
    : t('members.fee_amount', { amount: formatOre(ore, c.get('locale')) });
}

/** "2026", or "2025/26" when the association year does not follow the calendar. */
export function yearLabel(c: Context<AppEnv>, year: number): string {
  const start = c.get('association')?.yearStartMonth ?? 1;
  return start === 1 ? String(year) : `${year}/${String(year + 1).slice(2)}`;
}

export function typeLabel(c: Context<AppEnv>, type: MembershipType | null): string {
  return type ? typeName(type, c.get('locale')) : '–';
}

export const date = (c: Context<AppEnv>, d: string | null) =>
  d ? formatDate(d, c.get('locale')) : '–';
export const instant = (c: Context<AppEnv>, iso: string | null) =>
  iso ? formatInstant(iso, c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('locale')) : '–';

export function PeriodsTable(props: {
  c: Context<AppEnv>;
  periods: MembershipPeriod[];
  currentYear: number;
}) {
  const { c } = props;
  const t = c.get('t');
  if (props.periods.length === 0) return <p class="muted">{t('members.periods.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('members.periods.year')}</th>
            <th scope="col">{t('members.periods.from')}</th>
            <th scope="col">{t('members.periods.to')}</th>
            <th scope="col">{t('members.periods.paid')}</th>
          </tr>
        </thead>
        <tbody>
          {props.periods.map((p) => (
            <tr>
              <td>
                {yearLabel(c, p.year)}
                {p.year === props.currentYear ? ` (${t('members.periods.current')})` : ''}
              </td>
              <td>{date(c, p.startsOn)}</td>
              <td>{date(c, p.endsOn)}</td>
              <td>{p.paidAt ? instant(c, p.paidAt) : t('members.periods.unpaid')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AcceptancesTable(props: { c: Context<AppEnv>; acceptances: DocumentAcceptance[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.acceptances.length === 0) return <p class="muted">{t('members.acceptances.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('members.acceptances.document')}</th>
            <th scope="col">{t('members.acceptances.version')}</th>
            <th scope="col">{t('members.acceptances.at')}</th>
          </tr>
        </thead>
        <tbody>
          {props.acceptances.map((a) => (
            <tr>
              <td>
                <a href={`/documents/${a.kind}/${a.version}`}>{t(`members.doc.${a.kind}`)}</a>
              </td>
              <td>{a.version}</td>
              <td>{instant(c, a.acceptedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Office terms; `actions` renders per-term controls (the board's "end term" form). */
export function OfficeTermsTable(props: {
  c: Context<AppEnv>;
  terms: OfficeTerm[];
  actions?: (term: OfficeTerm) => Child;
}) {
  const { c, actions } = props;
  const t = c.get('t');
  if (props.terms.length === 0) return <p class="muted">{t('members.offices.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('members.offices.office')}</th>
            <th scope="col">{t('members.offices.from')}</th>
            <th scope="col">{t('members.offices.to')}</th>
            {actions ? <th scope="col">{t('members.offices.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {props.terms.map((term) => (
            <tr>
              <td>
                {t(officeKey(term.office))}
                {term.note ? <span class="muted"> – {term.note}</span> : null}
              </td>
              <td>{date(c, term.startsOn)}</td>
              <td>{term.endsOn ? date(c, term.endsOn) : t('members.offices.open')}</td>
              {actions ? <td>{actions(term)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The error summary of a form whose field ids carry a prefix (several forms on one page). */
export function ScopedErrors(props: { state: FormState | null; idOf: (field: string) => string }) {
  const { state } = props;
  if (!state || (!state.message && Object.keys(state.errors).length === 0)) return null;
  return (
    <div class="alert" role="alert" tabindex={-1}>
      <p>
        <strong>{state.message}</strong>
      </p>
      {Object.keys(state.errors).length > 0 ? (
        <ul>
          {Object.entries(state.errors).map(([field, msg]) => (
            <li>
              <a href={`#${props.idOf(field)}`}>{msg}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
