import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf } from '../../app/forms.js';
import { formatInstant } from '../../app/dates.js';
import { yearLabel } from '../members/members.components.js';
import { day, nok } from './account.views.js';
import type { BillingSettings } from './billing-settings.repository.js';
import type { PlannedLapse } from './lapse.usecases.js';
import type { ReminderLogEntry } from './reminders.repository.js';
import type { PlannedReminder, ReminderPlan } from './reminders.usecases.js';

function ReminderRows(props: {
  c: Context<AppEnv>;
  items: PlannedReminder[];
  by: 'email' | 'post';
}) {
  const { c } = props;
  const t = c.get('t');
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('billing.col.member')}</th>
            <th scope="col">{t('billing.col.invoice')}</th>
            <th scope="col">{t('billing.col.due_date')}</th>
            <th scope="col" class="num">
              {t('billing.reminders.days_past_due')}
            </th>
            <th scope="col" class="num">
              {t('billing.col.outstanding')}
            </th>
            <th scope="col">{t('billing.col.sequence')}</th>
            <th scope="col" class="num">
              {t('billing.col.fee')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((r) => (
            <tr data-reminder={`${props.by}:${r.invoice.number}:${r.sequence}:${r.feeOre}`}>
              <td>
                <a href={`/billing/members/${r.debtor.id}`}>
                  {r.debtor.name} (#{r.debtor.memberNumber})
                </a>
              </td>
              <td>
                <a href={`/billing/invoices/${r.invoice.number}`}>{r.invoice.number}</a>
              </td>
              <td>{day(c, r.invoice.dueDate)}</td>
              <td class="num">{r.daysPastDue}</td>
              <td class="num">{nok(c, r.outstandingOre)}</td>
              <td>{t('billing.reminders.sequence_n', { n: r.sequence })}</td>
              <td class="num">
                {r.feeOre > 0 ? nok(c, r.feeOre) : t('billing.reminders.fee_none')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RemindersPage(props: {
  c: Context<AppEnv>;
  plan: ReminderPlan;
  settings: BillingSettings;
  lapses: { year: number; graceDays: number; items: PlannedLapse[] };
  recent: ReminderLogEntry[];
}) {
  const { c, plan, settings, lapses } = props;
  const t = c.get('t');
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  const tz = c.get('association')?.timeZone ?? 'Europe/Oslo';
  return (
    <section>
      <h1>{t('billing.reminders.title')}</h1>
      <p>
        <a href="/billing">{t('billing.overview.title')}</a>
      </p>
      <p>{t('billing.reminders.intro', { today: day(c, plan.today) })}</p>
      <p class="muted">
        {t('billing.reminders.rules', {
          days: settings.reminderAfterDays,
          fee:
            settings.reminderFeeOre > 0
              ? nok(c, settings.reminderFeeOre)
              : t('billing.reminders.fee_none'),
        })}{' '}
        {t('billing.reminders.fee_rule')}
      </p>

      <h2 id="due-heading">{t('billing.reminders.due', { count: plan.toSend.length })}</h2>
      {plan.toSend.length === 0 ? (
        <p class="muted">{t('billing.reminders.none_due')}</p>
      ) : (
        <ReminderRows c={c} items={plan.toSend} by="email" />
      )}
      {canManage && plan.toSend.length > 0 ? (
        <form method="post" action="/billing/reminders/send" class="actions">
          <Csrf c={c} />
          <button type="submit">{t('billing.reminders.send_now')}</button>
        </form>
      ) : null}

      {plan.noEmail.length > 0 ? (
        <>
          <h2>{t('billing.reminders.no_email', { count: plan.noEmail.length })}</h2>
          <ReminderRows c={c} items={plan.noEmail} by="post" />
        </>
      ) : null}

      <h2 id="lapse-heading">{t('billing.lapse.title', { count: lapses.items.length })}</h2>
      <p class="muted">
        {t('billing.lapse.intro', { year: yearLabel(c, lapses.year), grace: lapses.graceDays })}
      </p>
      {lapses.items.length === 0 ? (
        <p class="muted">{t('billing.lapse.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('billing.col.member')}</th>
                <th scope="col">{t('billing.col.invoice')}</th>
                <th scope="col">{t('billing.col.due_date')}</th>
                <th scope="col">{t('billing.lapse.lapses_on')}</th>
              </tr>
            </thead>
            <tbody>
              {lapses.items.map((l) => (
                <tr data-lapse-member={String(l.debtor.memberNumber)}>
                  <td>
                    <a href={`/billing/members/${l.debtor.id}`}>
                      {l.debtor.name} (#{l.debtor.memberNumber})
                    </a>
                  </td>
                  <td>
                    <a href={`/billing/invoices/${l.invoice.number}`}>{l.invoice.number}</a>
                  </td>
                  <td>{day(c, l.invoice.dueDate)}</td>
                  <td>{day(c, l.lapsesOn)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canManage && lapses.items.length > 0 ? (
        <form method="post" action="/billing/lapse/run" class="actions">
          <Csrf c={c} />
          <button type="submit" class="danger">
            {t('billing.lapse.run_now')}
          </button>
        </form>
      ) : null}

      <h2>{t('billing.reminders.recent')}</h2>
      {props.recent.length === 0 ? (
        <p class="muted">{t('billing.overview.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('billing.col.date')}</th>
                <th scope="col">{t('billing.col.member')}</th>
                <th scope="col">{t('billing.col.invoice')}</th>
                <th scope="col">{t('billing.col.sequence')}</th>
                <th scope="col" class="num">
                  {t('billing.col.fee')}
                </th>
              </tr>
            </thead>
            <tbody>
              {props.recent.map((r) => (
                <tr>
                  <td>{formatInstant(r.sentAt, tz, c.get('locale'))}</td>
                  <td>
                    <a href={`/billing/members/${r.memberId}`}>
                      {r.memberName} (#{r.memberNumber})
                    </a>
                  </td>
                  <td>
                    <a href={`/billing/invoices/${r.invoiceNumber}`}>{r.invoiceNumber}</a>
                  </td>
                  <td>{t('billing.reminders.sequence_n', { n: r.sequence })}</td>
                  <td class="num">
                    {r.feeInvoiceNumber !== null ? (
                      <a href={`/billing/invoices/${r.feeInvoiceNumber}`}>{nok(c, r.feeOre)}</a>
                    ) : (
                      t('billing.reminders.fee_none')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
