import type { Context } from 'hono';
import { type Invoice, invoiceState, type Party } from './invoices.repository.js';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, FormErrors, TextArea, type FormState } from '../../app/forms.js';
import { BillingNav } from './fees.views.js';
import { formatBankAccount, formatNok, formatVatRate } from './invoice-format.js';
import { type InvoiceDetail } from './invoices.usecases.js';
import { StateBadge } from './invoices.views.js';

// One invoice or credit note as a page: the document, its payment state, crediting.

type C = Context<AppEnv>;

function PartyBlock(props: { c: C; party: Party; seller: boolean; vatRegistered: boolean }) {
  const { c, party } = props;
  const t = c.get('t');
  const place = [party.postalCode, party.city].filter(Boolean).join(' ');
  return (
    <address>
      <strong>{party.name}</strong>
      {party.contactPerson ? (
        <>
          <br />
          {t('invoices.doc.attention')} {party.contactPerson}
        </>
      ) : null}
      {[party.addressLine, place].filter(Boolean).map((line) => (
        <>
          <br />
          {line}
        </>
      ))}
      {party.orgNumber ? (
        <>
          <br />
          {t('invoices.doc.org_number')} {party.orgNumber}
          {props.seller && props.vatRegistered ? ' MVA' : ''}
        </>
      ) : null}
      {!props.seller && party.memberNumber !== undefined ? (
        <>
          <br />
          {t('invoices.doc.member_number')} {party.memberNumber}
        </>
      ) : null}
    </address>
  );
}

/** The invoice as issued: everything a Norwegian invoice needs. */
function InvoiceDocumentView(props: { c: C; detail: InvoiceDetail }) {
  const { c, detail } = props;
  const { invoice } = detail;
  const t = c.get('t');
  const locale = c.get('locale');
  const vat = invoice.vatRegistered;
  const isCredit = invoice.kind === 'credit_note';
  const money = (ore: number) => formatNok(ore, locale);
  return (
    <article class="card" aria-labelledby="invoice-title">
      <h1 id="invoice-title">
        {isCredit ? t('invoices.doc.credit_note') : t('invoices.doc.invoice')} {invoice.number}
      </h1>
      <dl class="facts">
        <dt>{t('invoices.doc.number')}</dt>
        <dd>{invoice.number}</dd>
        <dt>{t('invoices.doc.issue_date')}</dt>
        <dd>{formatDate(invoice.issueDate, locale)}</dd>
        {isCredit ? (
          <>
            <dt>{t('invoices.doc.credits_invoice')}</dt>
            <dd>
              <a href={`/billing/invoices/${detail.creditedNumber}`}>{detail.creditedNumber}</a>
            </dd>
          </>
        ) : (
          <>
            <dt>{t('invoices.doc.due_date')}</dt>
            <dd>{formatDate(invoice.dueDate, locale)}</dd>
          </>
        )}
      </dl>
      <dl class="facts">
        <dt>{t('invoices.doc.from')}</dt>
        <dd>
          <PartyBlock c={c} party={invoice.seller} seller vatRegistered={vat} />
        </dd>
        <dt>{t('invoices.doc.to')}</dt>
        <dd>
          <PartyBlock c={c} party={invoice.buyer} seller={false} vatRegistered={vat} />
        </dd>
      </dl>
      <h2>{t('invoices.doc.lines')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('invoices.doc.description')}</th>
              {vat ? <th scope="col">{t('invoices.doc.net')}</th> : null}
              {vat ? <th scope="col">{t('invoices.doc.vat_rate')}</th> : null}
              {vat ? <th scope="col">{t('invoices.doc.vat')}</th> : null}
              <th scope="col">{t('invoices.doc.amount')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.lines.map((l) => (
              <tr>
                <td>{l.description}</td>
                {vat ? <td>{money(l.netOre)}</td> : null}
                {vat ? <td>{formatVatRate(l.vatRateBp, locale)}</td> : null}
                {vat ? <td>{money(l.vatOre)}</td> : null}
                <td>{money(l.grossOre)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl class="facts">
        {vat ? (
          <>
            <dt>{t('invoices.doc.net_total')}</dt>
            <dd>{money(invoice.netOre)}</dd>
            <dt>{t('invoices.doc.vat_total')}</dt>
            <dd>{money(invoice.vatOre)}</dd>
          </>
        ) : null}
        <dt>{t('invoices.doc.total')}</dt>
        <dd>
          <strong>{money(invoice.totalOre)}</strong>
        </dd>
        {!isCredit ? (
          <>
            <dt>{t('invoices.doc.bank_account')}</dt>
            <dd>{formatBankAccount(invoice.bankAccount)}</dd>
            <dt>{t('invoices.doc.kid')}</dt>
            <dd>{invoice.kid ?? '–'}</dd>
          </>
        ) : null}
      </dl>
      {invoice.orMore ? <p>{t('invoices.doc.or_more_note')}</p> : null}
      {!vat ? <p class="muted">{t('invoices.doc.no_vat')}</p> : null}
      {detail.note ? <p>{detail.note}</p> : null}
      <p>
        <a href={`/billing/invoices/${invoice.number}.pdf`}>{t('invoices.doc.download_pdf')}</a>
      </p>
    </article>
  );
}

function PaymentState(props: { c: C; detail: InvoiceDetail; today: string }) {
  const { c, detail } = props;
  const { invoice } = detail;
  const t = c.get('t');
  const locale = c.get('locale');
  if (invoice.kind === 'credit_note') return null;
  const state = invoiceState(invoice, props.today);
  return (
    <aside class="card" aria-labelledby="payment-state">
      <h2 id="payment-state">{t('invoices.payment.title')}</h2>
      <p>
        <StateBadge c={c} state={state} />
      </p>
      <dl class="facts">
        <dt>{t('invoices.payment.paid')}</dt>
        <dd>{formatNok(invoice.paidOre, locale)}</dd>
        {invoice.creditedOre > 0 ? (
          <>
            <dt>{t('invoices.payment.credited')}</dt>
            <dd>{formatNok(invoice.creditedOre, locale)}</dd>
          </>
        ) : null}
        <dt>{t('invoices.payment.outstanding')}</dt>
        <dd>{formatNok(detail.outstandingOre, locale)}</dd>
        {invoice.settledAt ? (
          <>
            <dt>{t('invoices.payment.settled_at')}</dt>
            <dd>
              {formatInstant(
                invoice.settledAt,
                c.get('association')?.timeZone ?? 'Europe/Oslo',
                locale,
              )}
            </dd>
          </>
        ) : null}
      </dl>
      {detail.creditNotes.length > 0 ? (
        <p>
          {t('invoices.payment.credit_notes')}{' '}
          {detail.creditNotes.map((n) => (
            <a href={`/billing/invoices/${n.number}`}>{n.number} </a>
          ))}
        </p>
      ) : null}
    </aside>
  );
}

function CreditForm(props: { c: C; invoice: Invoice; state: FormState }) {
  const { c, invoice } = props;
  const t = c.get('t');
  return (
    <section class="card" aria-labelledby="credit-title">
      <h2 id="credit-title">{t('invoices.credit.title')}</h2>
      <p>{t('invoices.credit.intro')}</p>
      <FormErrors state={props.state} />
      <form method="post" action={`/billing/invoices/${invoice.number}/credit`} class="stack">
        <Csrf c={c} />
        <TextArea
          state={props.state}
          name="reason"
          label={t('invoices.credit.reason')}
          required
          rows={2}
        />
        <button type="submit" class="danger">
          {t('invoices.credit.submit', { number: invoice.number })}
        </button>
      </form>
    </section>
  );
}

export function InvoicePage(props: {
  c: C;
  detail: InvoiceDetail;
  today: string;
  creditState: FormState;
}) {
  const { c, detail } = props;
  const user = c.get('user');
  const { invoice } = detail;
  const canCredit =
    !!user?.permissions.has('billing.manage') &&
    invoice.kind === 'invoice' &&
    invoice.creditedOre < invoice.totalOre;
  return (
    <section>
      {user?.permissions.has('billing.read') ? (
        <BillingNav c={c} current="/billing/invoices" />
      ) : null}
      <InvoiceDocumentView c={c} detail={detail} />
      <PaymentState c={c} detail={detail} today={props.today} />
      {canCredit ? <CreditForm c={c} invoice={invoice} state={props.creditState} /> : null}
    </section>
  );
}
