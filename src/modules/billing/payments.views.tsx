import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, Field, FormErrors, TextArea, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatOre } from '../../app/money.js';
import type { PaymentsPage } from './payments-list.usecases.js';
import type { PaymentListItem } from './payments.repository.js';
import { PAYMENT_SOURCES, PAYMENT_STATUSES, type PaymentFilterQuery } from './payments.schemas.js';
import { QueueCard } from './payment-detail.views.js';

type C = Context<AppEnv>;

/** An amount as the pages show it: "kr 1 234,50". */
export function kr(c: C, ore: number): string {
  return `kr ${formatOre(ore, c.get('locale'))}`;
}

/** The list's query string without defaults, with some values replaced. */
export function paymentsHref(
  query: Partial<PaymentFilterQuery>,
  changes: Partial<PaymentFilterQuery> = {},
  path = '/billing/payments',
): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of ['status', 'source', 'from', 'to', 'member'] as const) {
    const v = merged[key];
    if (v !== undefined && v !== null && v !== '') params.set(key, String(v));
  }
  if (merged.page && merged.page > 1) params.set('page', String(merged.page));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export function PaymentsNav(props: { c: C; unmatched: number }) {
  const { c } = props;
  const t = c.get('t');
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  return (
    <nav aria-label={t('payments.title')} class="actions">
      <a href="/billing/payments">{t('payments.nav_all')}</a>
      <a href="/billing/payments?status=unmatched">
        {t('payments.nav_queue', { count: props.unmatched })}
      </a>
      <a href="/billing/imports">{t('payments.nav_import')}</a>
      {canManage ? (
        <a class="button" href="/billing/payments/new">
          {t('payments.nav_register')}
        </a>
      ) : null}
    </nav>
  );
}

function FilterSelect(props: {
  name: string;
  label: string;
  value: string | undefined;
  any: string;
  options: { value: string; label: string }[];
}) {
  const id = `f-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Filters(props: { c: C; query: Partial<PaymentFilterQuery> }) {
  const { c, query } = props;
  const t = c.get('t');
  return (
    <form method="get" action="/billing/payments" class="filters" role="search">
      <FilterSelect
        name="status"
        label={t('payments.filter_status')}
        value={query.status}
        any={t('payments.filter_any')}
        options={PAYMENT_STATUSES.map((s) => ({
          value: s,
          label: t(`payments.status.${s}` as MessageKey),
        }))}
      />
      <FilterSelect
        name="source"
        label={t('payments.filter_source')}
        value={query.source}
        any={t('payments.filter_any')}
        options={PAYMENT_SOURCES.map((s) => ({
          value: s,
          label: t(`payments.source.${s}` as MessageKey),
        }))}
      />
      <div class="field">
        <label for="f-from">{t('payments.filter_from')}</label>
        <input id="f-from" type="date" name="from" value={query.from ?? ''} />
      </div>
      <div class="field">
        <label for="f-to">{t('payments.filter_to')}</label>
        <input id="f-to" type="date" name="to" value={query.to ?? ''} />
      </div>
      <div class="field">
        <label for="f-member">{t('payments.filter_member')}</label>
        <input
          id="f-member"
          type="text"
          inputmode="numeric"
          name="member"
          size={8}
          value={query.member !== undefined ? String(query.member) : ''}
        />
      </div>
      <div class="actions">
        <button type="submit">{t('payments.filter_apply')}</button>
        <a href="/billing/payments">{t('payments.filter_reset')}</a>
      </div>
    </form>
  );
}

export function memberText(p: { memberNumber: number | null; memberName: string | null }) {
  return p.memberNumber !== null ? `${p.memberNumber} ${p.memberName ?? ''}`.trim() : '';
}

function PaymentRow(props: { c: C; p: PaymentListItem }) {
  const { c, p } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const sign = p.kind === 'reversal' ? -1 : 1;
  return (
    <tr>
      <td>
        <a href={`/billing/payments/${p.id}`}>{formatDate(p.bookingDate, locale)}</a>
      </td>
      <td>{kr(c, sign * p.amountOre)}</td>
      <td class="optional">{t(`payments.kind.${p.kind}` as MessageKey)}</td>
      <td class="optional">{t(`payments.source.${p.source}` as MessageKey)}</td>
      <td>{p.payerName ?? ''}</td>
      <td class="optional">{p.kid ?? p.message ?? ''}</td>
      <td>
        <span
          class={`badge ${p.status === 'matched' ? 'active' : p.status === 'unmatched' ? 'applied' : ''}`}
        >
          {t(`payments.status.${p.status}` as MessageKey)}
        </span>
      </td>
      <td>{memberText(p)}</td>
      <td>{p.invoiceNumber ?? ''}</td>
      <td class="optional">{p.matchRule ? t(`payments.rule.${p.matchRule}` as MessageKey) : ''}</td>
    </tr>
  );
}

function Pager(props: { c: C; query: PaymentFilterQuery; result: PaymentsPage }) {
  const { c, query, result } = props;
  const t = c.get('t');
  if (result.pages <= 1) return null;
  return (
    <nav
      class="pager"
      aria-label={t('payments.pager_of', { page: result.page, pages: result.pages })}
    >
      {result.page > 1 ? (
        <a href={paymentsHref(query, { page: result.page - 1 })}>{t('payments.pager_prev')}</a>
      ) : null}
      <span>{t('payments.pager_of', { page: result.page, pages: result.pages })}</span>
      {result.page < result.pages ? (
        <a href={paymentsHref(query, { page: result.page + 1 })}>{t('payments.pager_next')}</a>
      ) : null}
    </nav>
  );
}

/** The list of payments, or (status=unmatched) the queue with an action card per payment. */
export function PaymentsListPage(props: {
  c: C;
  query: PaymentFilterQuery;
  result: PaymentsPage;
  errors: string[];
}) {
  const { c, query, result } = props;
  const t = c.get('t');
  const queue = query.status === 'unmatched';
  return (
    <section>
      <h1>{t(queue ? 'payments.queue_title' : 'payments.title')}</h1>
      <PaymentsNav c={c} unmatched={result.counts.unmatched} />
      {props.errors.length > 0 ? (
        <p class="alert" role="alert">
          {t('payments.filter_invalid', { fields: props.errors.join('; ') })}
        </p>
      ) : null}
      {queue ? <p>{t('payments.queue_intro')}</p> : null}
      <Filters c={c} query={query} />
      {result.unknownMember ? (
        <p class="warn" role="status">
          {t('payments.unknown_member', { number: query.member ?? '' })}
        </p>
      ) : null}
      <p class="actions">
        <span>{t('payments.list_count', { count: result.total })}</span>
        <a href={paymentsHref(query, { page: 1 }, '/billing/payments/export.csv')} download>
          {t('payments.nav_export')}
        </a>
      </p>
      {result.payments.length === 0 ? (
        <p>{t(queue ? 'payments.queue_empty' : 'payments.list_empty')}</p>
      ) : queue ? (
        result.payments.map((p) => (
          <QueueCard
            c={c}
            payment={p}
            hint={result.hints.get(p.id) ?? null}
            back={paymentsHref(query)}
          />
        ))
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('payments.col_date')}</th>
                <th scope="col">{t('payments.col_amount')}</th>
                <th scope="col" class="optional">
                  {t('payments.col_kind')}
                </th>
                <th scope="col" class="optional">
                  {t('payments.col_source')}
                </th>
                <th scope="col">{t('payments.col_payer')}</th>
                <th scope="col" class="optional">
                  {t('payments.col_reference')}
                </th>
                <th scope="col">{t('payments.col_status')}</th>
                <th scope="col">{t('payments.col_member')}</th>
                <th scope="col">{t('payments.col_invoice')}</th>
                <th scope="col" class="optional">
                  {t('payments.col_rule')}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.payments.map((p) => (
                <PaymentRow c={c} p={p} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager c={c} query={query} result={result} />
    </section>
  );
}

/** Registering a payment by hand. */
export function NewPaymentPage(props: { c: C; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('payments.new_title')}</h1>
      <p>{t('payments.new_intro')}</p>
      <form method="post" action="/billing/payments/new" class="stack" novalidate>
        <Csrf c={c} />
        <FormErrors state={state} />
        <fieldset>
          <legend>{t('payments.target_legend')}</legend>
          <Field
            state={state}
            name="invoice_number"
            label={t('payments.field_invoice_number')}
            inputmode="numeric"
          />
          <Field
            state={state}
            name="kid"
            label={t('payments.field_kid')}
            hint={t('payments.field_kid_hint')}
            inputmode="numeric"
          />
          <Field
            state={state}
            name="member_number"
            label={t('payments.field_member_number')}
            hint={t('payments.field_member_number_hint')}
            inputmode="numeric"
          />
        </fieldset>
        <Field
          state={state}
          name="amount"
          label={t('payments.field_amount')}
          hint={t('payments.field_amount_hint')}
          inputmode="decimal"
          required
        />
        <Field
          state={state}
          name="booking_date"
          type="date"
          label={t('payments.field_booking_date')}
          required
        />
        <Field
          state={state}
          name="payer_name"
          label={t('payments.field_payer_name')}
          autocomplete="off"
        />
        <Field
          state={state}
          name="reference"
          label={t('payments.field_reference')}
          hint={t('payments.field_reference_hint')}
        />
        <TextArea state={state} name="note" label={t('payments.field_note')} rows={3} />
        <div class="actions">
          <button type="submit">{t('payments.new_submit')}</button>
          <a href="/billing/payments">{t('form.cancel')}</a>
        </div>
      </form>
    </section>
  );
}
