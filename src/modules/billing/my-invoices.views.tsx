import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { balanceText, day, InvoicesTable, nok, PaymentsTable } from './account.views.js';
import { formatBankAccount } from './invoice-format.js';
import { outstandingOre } from './invoices.repository.js';
import type { MemberAccount } from './member-account.repository.js';

/** The member's own invoices, how to pay what is open, and what they have paid. */
export function MyInvoicesPage(props: {
  c: Context<AppEnv>;
  account: MemberAccount | null;
  today: string;
}) {
  const { c, account } = props;
  const t = c.get('t');
  const open = account ? account.invoices.filter((i) => outstandingOre(i) > 0) : [];
  return (
    <section>
      <h1>{t('billing.my.title')}</h1>
      <p>
        <a href="/membership">{t('billing.my.back')}</a>
      </p>
      {!account ? (
        <p class="card">{t('billing.my.no_member')}</p>
      ) : (
        <>
          {open.length > 0 ? (
            <section aria-labelledby="pay-heading">
              <h2 id="pay-heading">{t('billing.my.to_pay')}</h2>
              <p class="muted">{t('billing.my.kid_hint')}</p>
              {open.map((inv) => (
                <div class="card" data-open-invoice={String(inv.number)}>
                  <h3>{t('billing.my.invoice', { number: inv.number })}</h3>
                  <dl class="facts">
                    <dt>{t('billing.col.outstanding')}</dt>
                    <dd>{nok(c, outstandingOre(inv))}</dd>
                    <dt>{t('billing.col.account')}</dt>
                    <dd>{formatBankAccount(inv.bankAccount)}</dd>
                    <dt>{t('billing.col.kid')}</dt>
                    <dd>
                      <strong>{inv.kid ?? '–'}</strong>
                    </dd>
                    <dt>{t('billing.col.due_date')}</dt>
                    <dd>{day(c, inv.dueDate)}</dd>
                  </dl>
                </div>
              ))}
            </section>
          ) : null}
          <h2>{t('billing.my.invoices')}</h2>
          <InvoicesTable c={c} invoices={account.invoices} today={props.today} />
          <h2>{t('billing.my.payments')}</h2>
          <PaymentsTable c={c} payments={account.payments} />
          <h2>{t('billing.my.balance')}</h2>
          <p data-figure="balance" data-ore={String(account.balanceOre)}>
            {balanceText(c, account.balanceOre, 'you')}
          </p>
          {account.creditBalanceOre > 0 ? (
            <p data-figure="credit_balance" data-ore={String(account.creditBalanceOre)}>
              {t('billing.my.credit', { amount: nok(c, account.creditBalanceOre) })}
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}
