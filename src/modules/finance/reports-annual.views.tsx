import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf } from '../../app/forms.js';
import { yearLabel } from '../members/members.components.js';
import type { BudgetComparison } from './budget.usecases.js';
import { ComparisonTable } from './budget.views.js';
import type { AnnualReport } from './reports.usecases.js';
import { BalanceSheetTable, IncomeStatementTable } from './reports.views.js';

/**
 * /finance/annual/:year — the stable address a general assembly's agenda links to: the
 * accounts and the budget the treasurer has published. Officers who read the books see
 * everything, with what members see marked.
 */
export function AnnualPage(props: {
  c: Context<AppEnv>;
  year: number;
  report: AnnualReport | null;
  comparison: BudgetComparison | null;
  published: { accounts: boolean; budget: boolean };
  canPublish: boolean;
  url: string;
}) {
  const { c, year, published } = props;
  const t = c.get('t');
  const toggle = (kind: 'accounts' | 'budget', on: boolean) => (
    <form method="post" action={`/finance/annual/${year}/publish`}>
      <Csrf c={c} />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="published" value={on ? '0' : '1'} />
      <button type="submit" class="secondary">
        {t(
          kind === 'accounts'
            ? on
              ? 'finance.annual.unpublish_accounts'
              : 'finance.annual.publish_accounts'
            : on
              ? 'finance.annual.unpublish_budget'
              : 'finance.annual.publish_budget',
        )}
      </button>
    </form>
  );
  return (
    <section>
      <h1>{t('finance.annual.title', { year: yearLabel(c, year) })}</h1>
      <p>{t('finance.annual.intro')}</p>
      {props.canPublish ? (
        <div class="card">
          <p>{t('finance.annual.link', { url: props.url })}</p>
          <div class="actions">
            {toggle('accounts', published.accounts)}
            {toggle('budget', published.budget)}
          </div>
        </div>
      ) : null}
      {props.report ? (
        <>
          <h2>{t('finance.reports.income_statement')}</h2>
          {published.accounts ? (
            <p class="muted" data-published="accounts">
              {t('finance.annual.accounts_published')}
            </p>
          ) : (
            <p class="warn">{t('finance.annual.not_published')}</p>
          )}
          <p class="actions">
            <a href={`/finance/annual/${year}/accounts.pdf`}>{t('finance.annual.accounts_pdf')}</a>
          </p>
          <IncomeStatementTable c={c} statement={props.report.incomeStatement} />
          <h2>{t('finance.reports.balance_sheet')}</h2>
          <BalanceSheetTable c={c} sheet={props.report.balanceSheet} />
        </>
      ) : null}
      {props.comparison ? (
        <>
          <h2>{t('finance.budget.title', { year: yearLabel(c, year) })}</h2>
          {published.budget ? (
            <p class="muted" data-published="budget">
              {t('finance.annual.budget_published')}
            </p>
          ) : (
            <p class="warn">{t('finance.annual.not_published')}</p>
          )}
          <ComparisonTable c={c} comparison={props.comparison} />
        </>
      ) : null}
      {!props.report && !props.comparison ? <p>{t('finance.annual.nothing')}</p> : null}
    </section>
  );
}
