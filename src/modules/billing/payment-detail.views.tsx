import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, emptyForm, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatOre } from '../../app/money.js';
import type { PaymentDetail, QueueHint } from './payments-list.usecases.js';
import type { Allocation, Payment } from './payments.repository.js';

type C = Context<AppEnv>;

const kr = (c: C, ore: number) => `kr ${formatOre(ore, c.get('locale'))}`;

function Facts(props: { c: C; payment: Payment }) {
  const { c, payment: p } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const rows: [MessageKey, string | null][] = [
    ['payments.field_booking_date', formatDate(p.bookingDate, locale)],
    ['payments.field_amount', kr(c, p.kind === 'reversal' ? -p.amountOre : p.amountOre)],
    ['payments.col_kind', t(`payments.kind.${p.kind}` as MessageKey)],
    ['payments.field_source', t(`payments.source.${p.source}` as MessageKey)],
    ['payments.field_kid', p.kid],
    ['payments.field_payer', p.payerName],
    ['payments.field_payer_account', p.payerAccount],
    ['payments.field_message', p.message],
    ['payments.field_bank_reference', p.bankReference],
    ['payments.field_note', p.note],
  ];
  return (
    <dl class="facts">
      {rows
        .filter(([, v]) => v !== null && v !== '')
        .map(([k, v]) => (
          <>
            <dt>{t(k)}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

/** One queued payment: its details, why it waits, and the two ways out. */
export function QueueCard(props: {
  c: C;
  payment: Payment;
  hint: QueueHint | null;
  back: string;
  state?: FormState;
  /** On the payment's own page the ids need no prefix (form errors link to them). */
  single?: boolean;
}) {
  const { c, payment: p, hint } = props;
  const t = c.get('t');
  const state = props.state ?? emptyForm();
  const prefix = props.single ? '' : `${p.id}-`;
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  const reversal = p.kind === 'reversal';
  const headingId = `q-${p.id}`;
  return (
    <article class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <a href={`/billing/payments/${p.id}`}>
          {kr(c, reversal ? -p.amountOre : p.amountOre)} ·{' '}
          {formatDate(p.bookingDate, c.get('locale'))}
          {p.payerName ? ` · ${p.payerName}` : ''}
        </a>
      </h2>
      <Facts c={c} payment={p} />
      {hint ? (
        <>
          <p class="warn">{t(`payments.reason.${hint.reason}` as MessageKey)}</p>
          {hint.candidates.length > 0 ? (
            <>
              <p>{t('payments.hint_candidates')}</p>
              <ul>
                {hint.candidates.map((cand) => (
                  <li>
                    {t('payments.candidate', {
                      invoice: cand.invoiceNumber,
                      member: cand.memberNumber,
                      name: cand.memberName,
                    })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
      {canManage ? (
        <div>
          <FormErrors state={state} />
          <form method="post" action={`/billing/payments/${p.id}/match`} class="stack">
            <Csrf c={c} />
            <input type="hidden" name="back" value={props.back} />
            <fieldset>
              <legend>{t('payments.match_heading')}</legend>
              {reversal ? <p class="hint">{t('payments.match_reversal_hint')}</p> : null}
              <Field
                state={state}
                idPrefix={prefix}
                name="invoice_number"
                label={t('payments.match_invoice')}
                inputmode="numeric"
              />
              <Field
                state={state}
                idPrefix={prefix}
                name="member_number"
                label={t(reversal ? 'payments.match_member_reversal' : 'payments.match_member')}
                inputmode="numeric"
              />
              <button type="submit">{t('payments.match_submit')}</button>
            </fieldset>
          </form>
          <form method="post" action={`/billing/payments/${p.id}/ignore`} class="stack">
            <Csrf c={c} />
            <input type="hidden" name="back" value={props.back} />
            <fieldset>
              <legend>{t('payments.ignore_heading')}</legend>
              <Field
                state={state}
                idPrefix={prefix}
                name="reason"
                label={t('payments.ignore_reason')}
                hint={t('payments.ignore_hint')}
              />
              <button type="submit" class="secondary">
                {t('payments.ignore_submit')}
              </button>
            </fieldset>
          </form>
        </div>
      ) : null}
    </article>
  );
}

function allocationText(c: C, a: Allocation): string {
  const t = c.get('t');
  switch (a.kind) {
    case 'payment':
      return t('payments.alloc.payment', { number: a.invoiceNumber ?? '' });
    case 'overpayment':
      return t('payments.alloc.overpayment');
    case 'credit_used':
      return t('payments.alloc.credit_used');
    case 'reversal':
      return a.invoiceNumber !== null
        ? t('payments.alloc.reversal_invoice', { number: a.invoiceNumber })
        : t('payments.alloc.reversal_credit');
  }
}

/** A set-aside payment can go back to the queue. */
function RestoreForm(props: { c: C; payment: Payment }) {
  const t = props.c.get('t');
  return (
    <form method="post" action={`/billing/payments/${props.payment.id}/restore`} class="stack">
      <Csrf c={props.c} />
      <fieldset>
        <legend>{t('payments.restore_heading')}</legend>
        <p class="hint">{t('payments.restore_hint')}</p>
        <button type="submit" class="secondary">
          {t('payments.restore_submit')}
        </button>
      </fieldset>
    </form>
  );
}

/** A matched payment the bank returned, registered by hand when no file carries it. */
function ReverseForm(props: { c: C; payment: Payment; state: FormState }) {
  const t = props.c.get('t');
  return (
    <form method="post" action={`/billing/payments/${props.payment.id}/reverse`} class="stack">
      <Csrf c={props.c} />
      <fieldset>
        <legend>{t('payments.reverse_heading')}</legend>
        <p class="hint">{t('payments.reverse_hint')}</p>
        <Field state={props.state} name="reason" label={t('payments.reverse_reason')} />
        <Field
          state={props.state}
          name="booking_date"
          type="date"
          label={t('payments.reverse_date')}
          hint={t('payments.reverse_date_hint')}
        />
        <button type="submit" class="secondary">
          {t('payments.reverse_submit')}
        </button>
      </fieldset>
    </form>
  );
}

export function PaymentDetailPage(props: { c: C; detail: PaymentDetail; state?: FormState }) {
  const { c, detail } = props;
  const { payment: p } = detail;
  const t = c.get('t');
  const locale = c.get('locale');
  const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  return (
    <section>
      <p>
        <a href="/billing/payments">{t('payments.nav_all')}</a>
      </p>
      <h1>{t('payments.detail_title')}</h1>
      {/* An action that came too late (someone else handled it) still says why. */}
      {props.state && p.status !== 'unmatched' ? <FormErrors state={props.state} /> : null}
      {p.status === 'unmatched' ? (
        <QueueCard
          c={c}
          payment={p}
          hint={detail.hint}
          back={`/billing/payments/${p.id}`}
          single
          {...(props.state ? { state: props.state } : {})}
        />
      ) : (
        <div class="card">
          <Facts c={c} payment={p} />
        </div>
      )}
      <dl class="facts">
        <dt>{t('payments.field_status')}</dt>
        <dd>{t(`payments.status.${p.status}` as MessageKey)}</dd>
        {p.matchRule ? (
          <>
            <dt>{t('payments.field_rule')}</dt>
            <dd>{t(`payments.rule.${p.matchRule}` as MessageKey)}</dd>
          </>
        ) : null}
        {detail.member ? (
          <>
            <dt>{t('payments.field_member')}</dt>
            <dd>
              <a href={`/billing/members/${detail.member.id}`}>
                {detail.member.memberNumber} {detail.member.name}
              </a>
            </dd>
          </>
        ) : null}
        {detail.invoice ? (
          <>
            <dt>{t('payments.field_invoice')}</dt>
            <dd>
              <a href={`/billing/invoices/${detail.invoice.number}`}>{detail.invoice.number}</a>
            </dd>
          </>
        ) : null}
        {detail.reverses ? (
          <>
            <dt>{t('payments.reverses')}</dt>
            <dd>
              <a href={`/billing/payments/${detail.reverses.id}`}>
                {kr(c, detail.reverses.amountOre)} ·{' '}
                {formatDate(detail.reverses.bookingDate, locale)}
              </a>
            </dd>
          </>
        ) : null}
        {detail.reversedBy ? (
          <>
            <dt>{t('payments.reversed_by')}</dt>
            <dd>
              <a href={`/billing/payments/${detail.reversedBy.id}`}>
                {formatDate(detail.reversedBy.bookingDate, locale)}
              </a>
            </dd>
          </>
        ) : null}
        {p.bankImportId ? (
          <>
            <dt>{t('payments.field_import')}</dt>
            <dd>
              <a href={`/billing/payments?source=${encodeURIComponent(p.source)}`}>{p.source}</a>
            </dd>
          </>
        ) : null}
        <dt>{t('payments.field_registered')}</dt>
        <dd>{formatInstant(p.createdAt, timeZone, locale)}</dd>
      </dl>
      {canManage && p.status === 'ignored' ? <RestoreForm c={c} payment={p} /> : null}
      {canManage && p.status === 'matched' && p.kind === 'credit' && !detail.reversedBy ? (
        <ReverseForm c={c} payment={p} state={props.state ?? emptyForm()} />
      ) : null}
      {p.matchRule === 'invoice_credited' && detail.invoice ? (
        <p class="warn">{t('payments.credited_note', { number: detail.invoice.number })}</p>
      ) : null}
      <h2>{t('payments.allocations')}</h2>
      {detail.allocations.length === 0 ? (
        <p>{t('payments.alloc_none')}</p>
      ) : (
        <ul>
          {detail.allocations.map((a) => (
            <li>
              {allocationText(c, a)}: {kr(c, a.amountOre)}
            </li>
          ))}
        </ul>
      )}
      {detail.memberCreditOre !== null ? (
        <p>{t('payments.member_credit', { amount: kr(c, detail.memberCreditOre) })}</p>
      ) : null}
    </section>
  );
}
