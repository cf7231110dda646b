import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import type { MessageKey } from '../../app/i18n.js';
import { yearLabel } from '../members/members.components.js';
import type { Member } from '../members/members.repository.js';
import {
  AllocationsTable,
  balanceText,
  day,
  InvoicesTable,
  LedgerTable,
  nok,
  PaymentsTable,
} from './account.views.js';
import { formatVatRate } from './invoice-format.js';
import type { MemberAccount } from './member-account.repository.js';
import type { OverdueInvoice } from './overview.repository.js';
import type { Overview } from './overview.usecases.js';
import { BarChart, type Bucketing } from './svg-chart.js';

export type ChartBar = { label: string; short: string; amountOre: number };

function Figure(props: {
  c: Context<AppEnv>;
  name: string;
  label: MessageKey;
  ore: number;
  note?: string;
}) {
  const { c } = props;
  return (
    <>
      <dt>{c.get('t')(props.label)}</dt>
      <dd data-figure={props.name} data-ore={String(props.ore)}>
        {nok(c, props.ore)}
        {props.note ? <span class="muted"> ({props.note})</span> : null}
      </dd>
    </>
  );
}

function Count(props: { c: Context<AppEnv>; name: string; label: MessageKey; count: number }) {
  return (
    <>
      <dt>{props.c.get('t')(props.label)}</dt>
      <dd data-figure={props.name} data-count={String(props.count)}>
        {props.count}
      </dd>
    </>
  );
}

export function OverviewPage(props: {
  c: Context<AppEnv>;
  overview: Overview;
  by: Bucketing;
  bars: ChartBar[];
  overdue: OverdueInvoice[];
  overdueLimit: number;
}) {
  const { c, overview, bars } = props;
  const { figures: f, bounds } = overview;
  const t = c.get('t');
  const locale = c.get('locale');
  const year = bounds.year;
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  const links: { href: string; label: MessageKey; show: boolean }[] = [
    { href: '/billing/invoices', label: 'billing.overview.link.invoices', show: true },
    { href: '/billing/payments', label: 'billing.overview.link.payments', show: true },
    {
      href: '/billing/payments?status=unmatched',
      label: 'billing.overview.link.unmatched',
      show: true,
    },
    { href: '/billing/payments/import', label: 'billing.overview.link.import', show: canManage },
    { href: '/billing/dues-runs', label: 'billing.overview.link.dues_runs', show: true },
    { href: '/billing/reminders', label: 'billing.overview.link.reminders', show: true },
    { href: '/billing/fees', label: 'billing.overview.link.fees', show: true },
    { href: '/billing/settings', label: 'billing.overview.link.settings', show: canManage },
  ];
  const total = bars.reduce((s, b) => s + b.amountOre, 0);
  return (
    <section>
      <h1>{t('billing.overview.title')}</h1>
      <nav aria-label={t('billing.overview.links')} class="actions">
        {links
          .filter((l) => l.show)
          .map((l) => (
            <a href={l.href}>{t(l.label)}</a>
          ))}
      </nav>

      <form method="get" action="/billing" class="filters">
        <div class="field">
          <label for="f-year">{t('billing.overview.year')}</label>
          <select id="f-year" name="year">
            {overview.years.map((y) => (
              <option value={String(y)} selected={y === year}>
                {yearLabel(c, y)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-by">{t('billing.overview.chart_by')}</label>
          <select id="f-by" name="by">
            <option value="month" selected={props.by === 'month'}>
              {t('billing.overview.by_month')}
            </option>
            <option value="week" selected={props.by === 'week'}>
              {t('billing.overview.by_week')}
            </option>
          </select>
        </div>
        <button type="submit" class="secondary">
          {t('billing.overview.show')}
        </button>
      </form>
      <p class="muted">
        {t('billing.overview.period', { from: day(c, bounds.startsOn), to: day(c, bounds.endsOn) })}
      </p>

      <h2>{t('billing.overview.figures', { year: yearLabel(c, year) })}</h2>
      <div class="card">
        <dl class="facts">
          <Figure
            c={c}
            name="invoiced"
            label="billing.overview.invoiced"
            ore={f.invoicedOre}
            note={t('billing.overview.invoice_count', { count: f.invoiceCount })}
          />
          <Figure
            c={c}
            name="credit_notes"
            label="billing.overview.credit_notes"
            ore={f.creditNotesOre}
            note={t('billing.overview.credit_note_count', { count: f.creditNoteCount })}
          />
          <Figure c={c} name="paid" label="billing.overview.paid" ore={f.paidOre} />
          <Figure
            c={c}
            name="outstanding"
            label="billing.overview.outstanding"
            ore={f.outstandingOre}
          />
          <Figure
            c={c}
            name="overdue"
            label="billing.overview.overdue"
            ore={f.overdueOre}
            note={t('billing.overview.overdue_count', { count: f.overdueCount })}
          />
          <Figure c={c} name="vat" label="billing.overview.vat_collected" ore={f.vatOre} />
          <Figure
            c={c}
            name="credit_balance"
            label="billing.overview.credit_balance"
            ore={f.creditBalanceOre}
            note={t('billing.overview.credit_members', { count: f.membersWithCredit })}
          />
          <Count
            c={c}
            name="members_paid"
            label="billing.overview.members_paid"
            count={f.membersPaid}
          />
          <Count
            c={c}
            name="members_unpaid"
            label="billing.overview.members_unpaid"
            count={f.membersUnpaid}
          />
        </dl>
      </div>

      <h2>{t('billing.overview.vat')}</h2>
      {f.vat.length === 0 ? (
        <p class="muted">{t('billing.overview.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="muted">{t('billing.overview.vat_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.overview.vat_rate')}</th>
                <th scope="col" class="num">
                  {t('billing.overview.net')}
                </th>
                <th scope="col" class="num">
                  {t('billing.overview.vat_amount')}
                </th>
                <th scope="col" class="num">
                  {t('billing.overview.gross')}
                </th>
              </tr>
            </thead>
            <tbody>
              {f.vat.map((r) => (
                <tr data-rate={String(r.rateBp)} data-vat-ore={String(r.vatOre)}>
                  <th scope="row">
                    {r.rateBp === 0
                      ? t('billing.overview.vat_outside')
                      : formatVatRate(r.rateBp, locale)}
                  </th>
                  <td class="num">{nok(c, r.netOre)}</td>
                  <td class="num">{nok(c, r.vatOre)}</td>
                  <td class="num">{nok(c, r.grossOre)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="chart-heading">{t('billing.overview.chart_heading')}</h2>
      <figure class="card" aria-labelledby="chart-heading">
        <BarChart
          id="payments-chart"
          title={t(
            props.by === 'week'
              ? 'billing.overview.chart_title_week'
              : 'billing.overview.chart_title_month',
            { year: yearLabel(c, year) },
          )}
          description={t('billing.overview.chart_desc', { total: nok(c, total) })}
          bars={bars}
          locale={locale}
        />
        <details>
          <summary>{t('billing.overview.chart_table')}</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('billing.overview.chart_period')}</th>
                  <th scope="col" class="num">
                    {t('billing.col.amount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {bars.map((b) => (
                  <tr>
                    <th scope="row">{b.label}</th>
                    <td class="num">{nok(c, b.amountOre)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('billing.overview.total')}</th>
                  <td class="num">{nok(c, total)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </details>
      </figure>

      <h2>{t('billing.overview.overdue_list')}</h2>
      <OverdueTable c={c} overdue={props.overdue} today={overview.today} />
      {props.overdue.length >= props.overdueLimit ? (
        <p class="muted">
          {t('billing.overview.overdue_more', { count: props.overdueLimit })}{' '}
          <a href="/billing/invoices?status=overdue">{t('billing.overview.link.invoices')}</a>
        </p>
      ) : null}

      <h2>{t('billing.overview.exports')}</h2>
      <ul>
        <li>
          <a href={`/billing/export/invoices.csv?year=${year}`}>
            {t('billing.overview.export_invoices', { year: yearLabel(c, year) })}
          </a>
        </li>
        <li>
          <a href={`/billing/export/payments.csv?year=${year}`}>
            {t('billing.overview.export_payments', { year: yearLabel(c, year) })}
          </a>
        </li>
      </ul>

      <h2>{t('billing.overview.lookup')}</h2>
      <form method="get" action="/billing/members" class="filters">
        <div class="field">
          <label for="f-number">{t('billing.overview.lookup_number')}</label>
          <input id="f-number" name="number" type="text" inputmode="numeric" required />
        </div>
        <button type="submit" class="secondary">
          {t('billing.overview.lookup_submit')}
        </button>
      </form>
    </section>
  );
}

function OverdueTable(props: { c: Context<AppEnv>; overdue: OverdueInvoice[]; today: string }) {
  const { c } = props;
  const t = c.get('t');
  if (props.overdue.length === 0) return <p class="muted">{t('billing.overview.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('billing.col.invoice')}</th>
            <th scope="col">{t('billing.col.member')}</th>
            <th scope="col">{t('billing.col.due_date')}</th>
            <th scope="col" class="num">
              {t('billing.col.outstanding')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.overdue.map((o) => (
            <tr>
              <td>
                <a href={`/billing/invoices/${o.invoice.number}`}>{o.invoice.number}</a>
              </td>
              <td>
                <a href={`/billing/members/${o.memberId}`}>
                  {o.memberName} (#{o.memberNumber})
                </a>
              </td>
              <td>{day(c, o.invoice.dueDate)}</td>
              <td class="num">
                {nok(c, o.invoice.totalOre - o.invoice.paidOre - o.invoice.creditedOre)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function StatementPage(props: {
  c: Context<AppEnv>;
  member: Member;
  account: MemberAccount;
  today: string;
}) {
  const { c, member, account } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('billing.statement.title', { name: member.name })}</h1>
      <p>
        <a href={`/members/${member.id}`}>
          {t('billing.statement.member', { number: member.memberNumber })}
        </a>{' '}
        · <a href="/billing">{t('billing.overview.title')}</a>
      </p>
      <div class="card">
        <dl class="facts">
          <dt>{t('billing.statement.balance')}</dt>
          <dd data-figure="balance" data-ore={String(account.balanceOre)}>
            {balanceText(c, account.balanceOre, 'member')}
          </dd>
          <dt>{t('billing.statement.outstanding')}</dt>
          <dd data-figure="outstanding" data-ore={String(account.outstandingOre)}>
            {nok(c, account.outstandingOre)}
          </dd>
          <dt>{t('billing.statement.credit')}</dt>
          <dd data-figure="credit_balance" data-ore={String(account.creditBalanceOre)}>
            {nok(c, account.creditBalanceOre)}
          </dd>
        </dl>
      </div>
      <h2>{t('billing.statement.ledger')}</h2>
      <LedgerTable c={c} entries={account.entries} />
      <h2>{t('billing.statement.invoices')}</h2>
      <InvoicesTable c={c} invoices={account.invoices} today={props.today} />
      <h2>{t('billing.statement.payments')}</h2>
      <PaymentsTable c={c} payments={account.payments} />
      <h2>{t('billing.statement.allocations')}</h2>
      <AllocationsTable c={c} allocations={account.allocations} />
    </section>
  );
}
