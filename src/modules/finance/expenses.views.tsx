import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf, Field, FormErrors, Select, TextArea, type FormState } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatBankAccount, formatNok } from '../billing/invoice-format.js';
import { categoryLabel, type ExpenseCategory } from './expenses.categories.js';
import type { Claim, ClaimEvent, ClaimListItem, ReceiptMeta } from './expenses.repository.js';
import type { ClaimAction } from './expenses.usecases.js';
import type { ClaimStatus } from './finance.tables.js';

type C = Context<AppEnv>;

export const kr = (c: C, ore: number) => formatNok(ore, c.get('locale'));
export const day = (c: C, date: string) => formatDate(date, c.get('locale'));

const STATUS_CLASS: Record<ClaimStatus, string> = {
  submitted: 'applied',
  returned: 'suspended',
  attested: 'applied',
  approved: 'active',
  paid: 'active',
  rejected: 'refused',
};

export function StatusBadge(props: { c: C; status: ClaimStatus }) {
  return (
    <span class={`badge ${STATUS_CLASS[props.status]}`} data-status={props.status}>
      {props.c.get('t')(`expenses.status.${props.status}` as MessageKey)}
    </span>
  );
}

/** A list of claims: number (linked), date, what, amount, status (and who, for officers). */
export function ClaimsTable(props: { c: C; claims: ClaimListItem[]; showMember?: boolean }) {
  const { c, claims } = props;
  const t = c.get('t');
  if (claims.length === 0) return <p class="muted">{t('expenses.none')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{t('expenses.col.number')}</th>
            <th class="optional">{t('expenses.col.spent_on')}</th>
            {props.showMember ? <th>{t('expenses.col.member')}</th> : null}
            <th>{t('expenses.col.description')}</th>
            <th class="num">{t('expenses.col.amount')}</th>
            <th>{t('expenses.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {claims.map((cl) => (
            <tr data-claim={String(cl.number)}>
              <td>
                <a href={`/expenses/${cl.number}`}>{cl.number}</a>
              </td>
              <td class="optional">{day(c, cl.spentOn)}</td>
              {props.showMember ? (
                <td>
                  {cl.memberName} <span class="muted">#{cl.memberNumber}</span>
                </td>
              ) : null}
              <td>{cl.description}</td>
              <td class="num">{kr(c, cl.amountOre)}</td>
              <td>
                <StatusBadge c={c} status={cl.status} />
                {cl.receipts === 0 && (cl.status === 'submitted' || cl.status === 'returned') ? (
                  <>
                    {' '}
                    <span class="badge applied">{t('expenses.needs_receipt')}</span>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MyClaimsPage(props: {
  c: C;
  claims: ClaimListItem[];
  canSubmit: boolean;
  isOfficer: boolean;
}) {
  const { c } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('expenses.title')}</h1>
      <p>{t('expenses.intro')}</p>
      <p class="actions">
        {props.canSubmit ? (
          <a class="button" href="/expenses/new">
            {t('expenses.new_link')}
          </a>
        ) : (
          <span class="muted">{t('expenses.not_active_member')}</span>
        )}
        <a href="/expenses/series">{t('expenses.series_link')}</a>
        {props.isOfficer ? <a href="/expenses/queue">{t('expenses.queue_link')}</a> : null}
      </p>
      <h2>{t('expenses.mine')}</h2>
      <ClaimsTable c={c} claims={props.claims} />
    </section>
  );
}

/** The file input for the receipt (the shared Field has no file type). */
function ReceiptField(props: { c: C; state: FormState; optional?: boolean }) {
  const t = props.c.get('t');
  const error = props.state.errors['receipt'];
  const id = 'f-receipt';
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{t('expenses.field.receipt')}</label>
      <p class="hint" id={`${id}-hint`}>
        {t(props.optional ? 'expenses.field.receipt_optional_hint' : 'expenses.field.receipt_hint')}
      </p>
      <input
        id={id}
        name="receipt"
        type="file"
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        required={!props.optional}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
      {error ? (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function categoryOptions(c: C, categories: ExpenseCategory[]) {
  const t = c.get('t');
  return [
    { value: '', label: t('expenses.field.category_choose') },
    ...categories.map((x) => ({
      value: x.number,
      label: categoryLabel(categories, x.number, c.get('locale')),
    })),
  ];
}

/** The claim form: new (with a receipt) or a returned claim being corrected. */
export function ClaimFormPage(props: {
  c: C;
  state: FormState;
  categories: ExpenseCategory[];
  edit?: Claim;
}) {
  const { c, state, edit } = props;
  const t = c.get('t');
  const action = edit ? `/expenses/${edit.number}/edit` : '/expenses/new';
  return (
    <section>
      <h1>{edit ? t('expenses.edit_title', { number: edit.number }) : t('expenses.new_title')}</h1>
      <p>
        <a href={edit ? `/expenses/${edit.number}` : '/expenses'}>{t('expenses.back')}</a>
      </p>
      {edit?.reason ? (
        <p class="warn">
          <strong>{t('expenses.fact.return_reason')}:</strong> {edit.reason}
        </p>
      ) : (
        <p>{t('expenses.new_intro')}</p>
      )}
      <FormErrors state={state} />
      <form class="stack" method="post" action={action} enctype="multipart/form-data">
        <Csrf c={c} />
        <Field
          state={state}
          name="spent_on"
          type="date"
          label={t('expenses.field.spent_on')}
          required
        />
        <Field
          state={state}
          name="amount"
          label={t('expenses.field.amount')}
          hint={t('expenses.field.amount_hint')}
          inputmode="decimal"
          required
        />
        <Field
          state={state}
          name="vat"
          label={t('expenses.field.vat')}
          hint={t('expenses.field.vat_hint')}
          inputmode="decimal"
        />
        <TextArea
          state={state}
          name="description"
          label={t('expenses.field.description')}
          hint={t('expenses.field.description_hint')}
          rows={3}
          required
        />
        <Select
          state={state}
          name="category"
          label={t('expenses.field.category')}
          options={categoryOptions(c, props.categories)}
        />
        <Field
          state={state}
          name="payee_account"
          label={t('expenses.field.payee_account')}
          hint={t('expenses.field.payee_account_hint')}
          inputmode="numeric"
          autocomplete="off"
          required
        />
        <ReceiptField c={c} state={state} {...(edit ? { optional: true } : {})} />
        <button type="submit">{edit ? t('expenses.resubmit') : t('expenses.submit')}</button>
      </form>
    </section>
  );
}

export type ClaimView = {
  claim: Claim;
  memberName: string;
  memberNumber: number;
  receipts: ReceiptMeta[];
  events: ClaimEvent[];
  categories: ExpenseCategory[];
  /** The viewer's own claim. */
  own: boolean;
  /** The steps the viewer may take now. */
  actions: ClaimAction[];
  /** Why an officer sees no attest/approve button although the claim waits for one. */
  blocked: 'own' | 'attester' | 'receipt' | null;
};

const EVENT_KEY: Record<string, MessageKey> = {
  submitted: 'expenses.event.submitted',
  resubmitted: 'expenses.event.resubmitted',
  receipt_added: 'expenses.event.receipt_added',
  created_from_series: 'expenses.event.created_from_series',
  attested: 'expenses.event.attested',
  approved: 'expenses.event.approved',
  paid: 'expenses.event.paid',
  rejected: 'expenses.event.rejected',
  returned: 'expenses.event.returned',
};

function ReasonForm(props: {
  c: C;
  state: FormState;
  number: number;
  action: 'reject' | 'return';
}) {
  const { c, state, number, action } = props;
  const t = c.get('t');
  const label = action === 'reject' ? t('expenses.action.reject') : t('expenses.action.return');
  return (
    <form class="card stack" method="post" action={`/expenses/${number}/${action}`}>
      <Csrf c={c} />
      <h3>{label}</h3>
      <Field
        state={state.values['_action'] === action ? state : { values: {}, errors: {} }}
        name="reason"
        idPrefix={`${action}-`}
        label={t(
          action === 'reject' ? 'expenses.field.reject_reason' : 'expenses.field.return_reason',
        )}
        required
      />
      <button type="submit" class={action === 'reject' ? 'danger' : 'secondary'}>
        {label}
      </button>
    </form>
  );
}

export function ClaimPage(props: { c: C; view: ClaimView; state?: FormState; today: string }) {
  const { c, view } = props;
  const { claim } = view;
  const t = c.get('t');
  const locale = c.get('locale');
  const tz = c.get('association')?.timeZone ?? 'Europe/Oslo';
  const state = props.state ?? { values: {}, errors: {} };
  const can = (a: ClaimAction) => view.actions.includes(a);
  const awaitingReceipt =
    view.own &&
    (claim.status === 'submitted' || claim.status === 'returned') &&
    view.receipts.length === 0;
  return (
    <section>
      <h1>{t('expenses.claim_title', { number: claim.number })}</h1>
      <p>
        <a href={view.own ? '/expenses' : '/expenses/queue'}>{t('expenses.back')}</a>
      </p>
      {state.message ? <FormErrors state={state} /> : null}
      <dl class="facts">
        <dt>{t('expenses.col.status')}</dt>
        <dd>
          <StatusBadge c={c} status={claim.status} />
        </dd>
        <dt>{t('expenses.col.member')}</dt>
        <dd>
          {view.memberName} <span class="muted">#{view.memberNumber}</span>
        </dd>
        <dt>{t('expenses.field.spent_on')}</dt>
        <dd>{day(c, claim.spentOn)}</dd>
        <dt>{t('expenses.col.amount')}</dt>
        <dd data-figure="amount" data-ore={String(claim.amountOre)}>
          {kr(c, claim.amountOre)}
        </dd>
        <dt>{t('expenses.field.vat')}</dt>
        <dd>{kr(c, claim.vatOre)}</dd>
        <dt>{t('expenses.col.description')}</dt>
        <dd>{claim.description}</dd>
        <dt>{t('expenses.field.category')}</dt>
        <dd>{categoryLabel(view.categories, claim.category, locale)}</dd>
        <dt>{t('expenses.field.payee_account')}</dt>
        <dd>{formatBankAccount(claim.payeeAccount)}</dd>
        {claim.seriesId ? (
          <>
            <dt>{t('expenses.fact.series')}</dt>
            <dd>
              <a href="/expenses/series">{t('expenses.fact.series_yes')}</a>
            </dd>
          </>
        ) : null}
        {claim.reason ? (
          <>
            <dt>
              {t(
                claim.status === 'rejected'
                  ? 'expenses.fact.reject_reason'
                  : 'expenses.fact.return_reason',
              )}
            </dt>
            <dd>{claim.reason}</dd>
          </>
        ) : null}
        {claim.paidOn ? (
          <>
            <dt>{t('expenses.fact.paid_on')}</dt>
            <dd>{day(c, claim.paidOn)}</dd>
            <dt>{t('expenses.field.reference')}</dt>
            <dd>{claim.paymentReference}</dd>
          </>
        ) : null}
      </dl>

      <h2>{t('expenses.receipts')}</h2>
      {view.receipts.length === 0 ? (
        <p class="warn">{t('expenses.no_receipt')}</p>
      ) : (
        <ul>
          {view.receipts.map((r) => (
            <li>
              <a href={`/expenses/${claim.number}/receipts/${r.id}`} download>
                {r.filename}
              </a>{' '}
              <span class="muted">
                ({Math.max(1, Math.round(r.size / 1024))} kB, {r.contentType})
              </span>
            </li>
          ))}
        </ul>
      )}
      {view.own && (claim.status === 'submitted' || claim.status === 'returned') ? (
        <form
          class={awaitingReceipt ? 'card stack' : 'stack'}
          method="post"
          action={`/expenses/${claim.number}/receipts`}
          enctype="multipart/form-data"
        >
          <Csrf c={c} />
          <ReceiptField c={c} state={state} />
          <button type="submit" class={awaitingReceipt ? undefined : 'secondary'}>
            {t('expenses.attach_submit')}
          </button>
        </form>
      ) : null}

      {view.own && claim.status === 'returned' ? (
        <p>
          <a class="button" href={`/expenses/${claim.number}/edit`}>
            {t('expenses.edit_link')}
          </a>
        </p>
      ) : null}

      {view.actions.length > 0 || view.blocked ? (
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">{t('expenses.actions')}</h2>
          {view.blocked ? (
            <p class="warn" data-blocked={view.blocked}>
              {t(`expenses.rule.${view.blocked}` as MessageKey)}
            </p>
          ) : null}
          <div class="actions">
            {can('attest') ? (
              <form method="post" action={`/expenses/${claim.number}/attest`}>
                <Csrf c={c} />
                <button type="submit">{t('expenses.action.attest')}</button>
              </form>
            ) : null}
            {can('approve') ? (
              <form method="post" action={`/expenses/${claim.number}/approve`}>
                <Csrf c={c} />
                <button type="submit">{t('expenses.action.approve')}</button>
              </form>
            ) : null}
          </div>
          {can('pay') ? (
            <form class="card stack" method="post" action={`/expenses/${claim.number}/pay`}>
              <Csrf c={c} />
              <h3>{t('expenses.action.pay')}</h3>
              <p class="muted">
                {t('expenses.pay_hint', {
                  amount: kr(c, claim.amountOre),
                  account: formatBankAccount(claim.payeeAccount),
                })}
              </p>
              <Field
                state={state.values['_action'] === 'pay' ? state : { values: {}, errors: {} }}
                name="paid_on"
                type="date"
                value={props.today}
                label={t('expenses.field.paid_on')}
                required
              />
              <Field
                state={state.values['_action'] === 'pay' ? state : { values: {}, errors: {} }}
                name="reference"
                label={t('expenses.field.reference')}
                hint={t('expenses.field.reference_hint')}
                required
              />
              <button type="submit">{t('expenses.action.pay')}</button>
            </form>
          ) : null}
          {can('return') ? (
            <ReasonForm c={c} state={state} number={claim.number} action="return" />
          ) : null}
          {can('reject') ? (
            <ReasonForm c={c} state={state} number={claim.number} action="reject" />
          ) : null}
        </section>
      ) : null}

      <h2>{t('expenses.history')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t('expenses.col.when')}</th>
              <th>{t('expenses.col.what')}</th>
              <th>{t('expenses.col.who')}</th>
              <th>{t('expenses.col.note')}</th>
            </tr>
          </thead>
          <tbody>
            {view.events.map((e) => (
              <tr data-event={e.action}>
                <td>{formatInstant(e.at, tz, locale)}</td>
                <td>{EVENT_KEY[e.action] ? t(EVENT_KEY[e.action]!) : e.action}</td>
                <td>{e.actorLabel}</td>
                <td>{e.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
