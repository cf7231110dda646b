import type { Context } from 'hono';
import { type Invoice, invoiceState, type InvoiceState } from './invoices.repository.js';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { BillingNav } from './fees.views.js';
import { formatNok } from './invoice-format.js';
import { INVOICE_PURPOSES, INVOICE_STATUSES, type InvoiceListQuery } from './invoices.schemas.js';

type C = Context<AppEnv>;

export const stateKey = (s: InvoiceState): MessageKey => `invoices.state.${s}`;
const purposeKey = (p: Invoice['purpose']): MessageKey => `invoices.purpose.${p}`;

export function StateBadge(props: { c: C; state: InvoiceState }) {
  const cls = props.state === 'paid' ? 'active' : props.state === 'overdue' ? 'lapsed' : '';
  return <span class={`badge ${cls}`}>{props.c.get('t')(stateKey(props.state))}</span>;
}

export function invoiceListHref(query: Partial<InvoiceListQuery>, page?: number): string {
  const params = new URLSearchParams();
  for (const key of ['year', 'purpose', 'status', 'member', 'number'] as const) {
    const v = query[key];
    if (v !== undefined) params.set(key, String(v));
  }
  if (page && page > 1) params.set('page', String(page));
  const s = params.toString();
  return s ? `/billing/invoices?${s}` : '/billing/invoices';
}

function Filters(props: { c: C; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  const text = (name: string, label: string) => {
    const error = state.errors[name];
    return (
      <div class={error ? 'field invalid' : 'field'}>
        <label for={`f-${name}`}>{label}</label>
        <input
          id={`f-${name}`}
          name={name}
          type="text"
          inputmode="numeric"
          size={8}
          value={state.values[name] ?? ''}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `f-${name}-error` : undefined}
        />
        {error ? (
          <p class="error" id={`f-${name}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    );
  };
  const select = (name: string, label: string, options: { value: string; label: string }[]) => (
    <div class="field">
      <label for={`f-${name}`}>{label}</label>
      <select id={`f-${name}`} name={name}>
        <option value="">{t('invoices.list.any')}</option>
        {options.map((o) => (
          <option value={o.value} selected={state.values[name] === o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form method="get" action="/billing/invoices" class="filters" role="search">
      {text('year', t('invoices.list.year'))}
      {select(
        'purpose',
        t('invoices.list.purpose'),
        INVOICE_PURPOSES.map((p) => ({ value: p, label: t(purposeKey(p)) })),
      )}
      {select(
        'status',
        t('invoices.list.status'),
        INVOICE_STATUSES.map((s) => ({ value: s, label: t(`invoices.filter.${s}`) })),
      )}
      {text('member', t('invoices.list.member_number'))}
      {text('number', t('invoices.list.number'))}
      <button type="submit" class="secondary">
        {t('invoices.list.filter')}
      </button>
    </form>
  );
}

export function InvoiceListPage(props: {
  c: C;
  state: FormState;
  query: Partial<InvoiceListQuery>;
  result: { invoices: Invoice[]; total: number; page: number; pages: number };
  today: string;
}) {
  const { c, result, query } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section>
      <BillingNav c={c} current="/billing/invoices" />
      <h1>{t('invoices.list.title')}</h1>
      <Filters c={c} state={props.state} />
      <p role="status">{t('invoices.list.count', { count: result.total })}</p>
      {result.invoices.length === 0 ? (
        <p class="muted">{t('invoices.list.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('invoices.doc.number')}</th>
                <th scope="col">{t('invoices.doc.issue_date')}</th>
                <th scope="col" class="optional">
                  {t('invoices.doc.due_date')}
                </th>
                <th scope="col">{t('invoices.list.member')}</th>
                <th scope="col" class="optional">
                  {t('invoices.list.purpose')}
                </th>
                <th scope="col">{t('invoices.doc.amount')}</th>
                <th scope="col">{t('invoices.list.status')}</th>
              </tr>
            </thead>
            <tbody>
              {result.invoices.map((inv) => (
                <tr>
                  <td>
                    <a href={`/billing/invoices/${inv.number}`}>{inv.number}</a>
                    {inv.kind === 'credit_note' ? (
                      <span class="muted"> ({t('invoices.doc.credit_note')})</span>
                    ) : null}
                  </td>
                  <td>{formatDate(inv.issueDate, locale)}</td>
                  <td class="optional">
                    {inv.kind === 'invoice' ? formatDate(inv.dueDate, locale) : '–'}
                  </td>
                  <td>
                    {inv.buyer.memberNumber !== undefined ? `${inv.buyer.memberNumber} ` : ''}
                    {inv.buyer.name}
                  </td>
                  <td class="optional">{t(purposeKey(inv.purpose))}</td>
                  <td>{formatNok(inv.totalOre, locale)}</td>
                  <td>
                    <StateBadge c={c} state={invoiceState(inv, props.today)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result.pages > 1 ? (
        <nav class="pager" aria-label={t('invoices.list.pages')}>
          {result.page > 1 ? (
            <a href={invoiceListHref(query, result.page - 1)} rel="prev">
              {t('invoices.list.previous')}
            </a>
          ) : null}
          <span>{t('invoices.list.page', { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages ? (
            <a href={invoiceListHref(query, result.page + 1)} rel="next">
              {t('invoices.list.next')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
