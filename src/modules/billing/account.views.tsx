import type { Context } from 'hono';
import {
  type Invoice,
  invoiceState,
  type InvoiceState,
  outstandingOre,
} from './invoices.repository.js';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatNok } from './invoice-format.js';
import {
  type AccountAllocation,
  type AccountPayment,
  type BalanceEntry,
} from './member-account.repository.js';

// Tables of one member's account, shared by the treasurer's statement and the member's
// own invoices page.

export const nok = (c: Context<AppEnv>, ore: number) => formatNok(ore, c.get('locale'));
export const day = (c: Context<AppEnv>, date: string | null) =>
  date ? formatDate(date, c.get('locale')) : '–';

const STATE_KEY: Record<InvoiceState, MessageKey> = {
  credit_note: 'billing.state.credit_note',
  credited: 'billing.state.credited',
  paid: 'billing.state.paid',
  part_paid: 'billing.state.part_paid',
  overdue: 'billing.state.overdue',
  open: 'billing.state.open',
};

export function InvoiceStateBadge(props: { c: Context<AppEnv>; state: InvoiceState }) {
  const cls = props.state === 'paid' ? 'active' : props.state === 'overdue' ? 'lapsed' : 'applied';
  return <span class={`badge ${cls}`}>{props.c.get('t')(STATE_KEY[props.state])}</span>;
}

export function InvoicesTable(props: { c: Context<AppEnv>; invoices: Invoice[]; today: string }) {
  const { c } = props;
  const t = c.get('t');
  if (props.invoices.length === 0) return <p class="muted">{t('billing.account.no_invoices')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('billing.col.number')}</th>
            <th scope="col" class="optional">
              {t('billing.col.issue_date')}
            </th>
            <th scope="col">{t('billing.col.due_date')}</th>
            <th scope="col" class="num">
              {t('billing.col.amount')}
            </th>
            <th scope="col" class="num optional">
              {t('billing.col.paid')}
            </th>
            <th scope="col" class="num">
              {t('billing.col.outstanding')}
            </th>
            <th scope="col">{t('billing.col.status')}</th>
            <th scope="col">{t('billing.col.documents')}</th>
          </tr>
        </thead>
        <tbody>
          {props.invoices.map((inv) => (
            <tr>
              <td>
                {t(
                  inv.kind === 'credit_note' ? 'billing.kind.credit_note' : 'billing.kind.invoice',
                )}{' '}
                {inv.number}
              </td>
              <td class="optional">{day(c, inv.issueDate)}</td>
              <td>{inv.kind === 'invoice' ? day(c, inv.dueDate) : '–'}</td>
              <td class="num">{nok(c, inv.totalOre)}</td>
              <td class="num optional">{inv.kind === 'invoice' ? nok(c, inv.paidOre) : '–'}</td>
              <td class="num">{inv.kind === 'invoice' ? nok(c, outstandingOre(inv)) : '–'}</td>
              <td>
                <InvoiceStateBadge c={c} state={invoiceState(inv, props.today)} />
              </td>
              <td>
                <a href={`/billing/invoices/${inv.number}`}>
                  {t('billing.account.view', { number: inv.number })}
                </a>{' '}
                <a href={`/billing/invoices/${inv.number}.pdf`}>
                  {t('billing.account.pdf', { number: inv.number })}
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PaymentsTable(props: { c: Context<AppEnv>; payments: AccountPayment[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.payments.length === 0) return <p class="muted">{t('billing.account.no_payments')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('billing.col.date')}</th>
            <th scope="col">{t('billing.col.kind')}</th>
            <th scope="col" class="num">
              {t('billing.col.amount')}
            </th>
            <th scope="col" class="optional">
              {t('billing.col.kid')}
            </th>
            <th scope="col">{t('billing.col.applied_to')}</th>
          </tr>
        </thead>
        <tbody>
          {props.payments.map((p) => (
            <tr>
              <td>{day(c, p.bookingDate)}</td>
              <td>
                {t(
                  p.kind === 'reversal'
                    ? 'billing.payment_kind.reversal'
                    : 'billing.payment_kind.credit',
                )}
              </td>
              <td class="num">{nok(c, p.kind === 'reversal' ? -p.amountOre : p.amountOre)}</td>
              <td class="optional">{p.kid ?? '–'}</td>
              <td>
                {[
                  ...p.invoiceNumbers.map((n) => t('billing.account.to_invoice', { number: n })),
                  ...(p.toCreditOre !== 0
                    ? [t('billing.account.to_credit', { amount: nok(c, p.toCreditOre) })]
                    : []),
                ].join(', ') || '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ENTRY_KEY: Record<BalanceEntry['kind'], MessageKey> = {
  invoice: 'billing.entry.invoice',
  credit_note: 'billing.entry.credit_note',
  payment: 'billing.entry.payment',
  reversal: 'billing.entry.reversal',
  adjustment: 'billing.entry.adjustment',
};

export function LedgerTable(props: { c: Context<AppEnv>; entries: BalanceEntry[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.entries.length === 0) return <p class="muted">{t('billing.account.no_entries')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('billing.col.date')}</th>
            <th scope="col">{t('billing.col.text')}</th>
            <th scope="col" class="num">
              {t('billing.col.debit')}
            </th>
            <th scope="col" class="num">
              {t('billing.col.credit')}
            </th>
            <th scope="col" class="num">
              {t('billing.col.balance')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr>
              <td>{day(c, e.date)}</td>
              <td>{t(ENTRY_KEY[e.kind], { number: e.invoiceNumber ?? '' })}</td>
              <td class="num">{e.debitOre ? nok(c, e.debitOre) : ''}</td>
              <td class="num">{e.creditOre ? nok(c, e.creditOre) : ''}</td>
              <td class="num">{nok(c, e.balanceOre)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ALLOCATION_KEY: Record<AccountAllocation['kind'], MessageKey> = {
  payment: 'billing.allocation.payment',
  overpayment: 'billing.allocation.overpayment',
  credit_used: 'billing.allocation.credit_used',
  reversal: 'billing.allocation.reversal',
};

export function AllocationsTable(props: { c: Context<AppEnv>; allocations: AccountAllocation[] }) {
  const { c } = props;
  const t = c.get('t');
  if (props.allocations.length === 0) return <p class="muted">{t('billing.account.no_entries')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('billing.col.date')}</th>
            <th scope="col">{t('billing.col.kind')}</th>
            <th scope="col">{t('billing.col.applied_to')}</th>
            <th scope="col" class="num">
              {t('billing.col.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.allocations.map((a) => (
            <tr>
              <td>{day(c, a.date)}</td>
              <td>{t(ALLOCATION_KEY[a.kind])}</td>
              <td>
                {a.invoiceNumber === null
                  ? t('billing.account.credit_balance')
                  : t('billing.account.to_invoice', { number: a.invoiceNumber })}
              </td>
              <td class="num">{nok(c, a.amountOre)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "The member owes kr 349,50" / "… has kr 100,00 in credit" / "The account is settled". */
export function balanceText(c: Context<AppEnv>, balanceOre: number, who: 'member' | 'you') {
  const t = c.get('t');
  const amount = nok(c, Math.abs(balanceOre));
  if (balanceOre > 0)
    return t(who === 'you' ? 'billing.balance.you_owe' : 'billing.balance.owes', { amount });
  if (balanceOre < 0)
    return t(who === 'you' ? 'billing.balance.you_credit' : 'billing.balance.credit', { amount });
  return t('billing.balance.zero');
}
