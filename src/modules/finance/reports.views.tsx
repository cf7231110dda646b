import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatOre } from '../../app/money.js';
import { yearLabel } from '../members/members.components.js';
import type { AccountName } from './reports.repository.js';
import type {
  BalanceSheet,
  IncomeStatement,
  Pair,
  StatementGroup,
  StatementLine,
  TrialBalance,
} from './reports.statements.js';
import type { AnnualReport } from './reports.usecases.js';

// The statements as HTML tables: the reports page, the published annual page and the
// overview share them. Amounts in Norwegian format without "kr" (the caption says kroner).

export const kr = (c: Context<AppEnv>, ore: number) => formatOre(ore, c.get('locale'));

export function accountLabel(
  c: Context<AppEnv>,
  line: { account: string; name: AccountName | null },
): string {
  if (line.account === 'result_of_year') return c.get('t')('finance.reports.result_of_year');
  if (line.account === 'earlier_results') return c.get('t')('finance.reports.earlier_results');
  const name = line.name ? line.name[c.get('locale')] : '';
  return name ? `${line.account} ${name}` : line.account;
}

function Head(props: { c: Context<AppEnv>; year: number }) {
  const { c, year } = props;
  return (
    <thead>
      <tr>
        <th scope="col">{c.get('t')('finance.reports.account')}</th>
        <th scope="col" class="num">
          {yearLabel(c, year)}
        </th>
        <th scope="col" class="num">
          {yearLabel(c, year - 1)}
        </th>
      </tr>
    </thead>
  );
}

function Row(props: {
  c: Context<AppEnv>;
  label: string;
  amount: Pair;
  strong?: boolean;
  figure?: string;
}) {
  const { c, amount } = props;
  const cell = (v: number) => (props.strong ? <strong>{kr(c, v)}</strong> : kr(c, v));
  return (
    <tr data-figure={props.figure}>
      <th scope="row">{props.strong ? <strong>{props.label}</strong> : props.label}</th>
      <td class="num" data-ore={String(amount.current)}>
        {cell(amount.current)}
      </td>
      <td class="num" data-ore={String(amount.previous)}>
        {cell(amount.previous)}
      </td>
    </tr>
  );
}

function Group(props: {
  c: Context<AppEnv>;
  title: string;
  group: StatementGroup;
  figure: string;
}) {
  const { c, group } = props;
  return (
    <>
      <tr>
        <th scope="rowgroup" colspan={3}>
          {props.title}
        </th>
      </tr>
      {group.lines.map((l: StatementLine) => (
        <Row c={c} label={accountLabel(c, l)} amount={l.amount} figure={`account-${l.account}`} />
      ))}
      <Row
        c={c}
        label={c.get('t')('finance.reports.sum')}
        amount={group.total}
        strong
        figure={props.figure}
      />
    </>
  );
}

export function IncomeStatementTable(props: { c: Context<AppEnv>; statement: IncomeStatement }) {
  const { c, statement: s } = props;
  const t = c.get('t');
  return (
    <div class="table-wrap">
      <table id="income-statement">
        <caption class="visually-hidden">{t('finance.reports.income_statement')}</caption>
        <Head c={c} year={s.year} />
        <tbody>
          <Group c={c} title={t('finance.reports.income')} group={s.income} figure="income" />
          {s.costs.map((g) => (
            <Group
              c={c}
              title={t(`finance.reports.class.${g.key}` as MessageKey)}
              group={g}
              figure={`costs-${g.key}`}
            />
          ))}
          <Row
            c={c}
            label={t('finance.reports.total_income')}
            amount={s.totalIncome}
            figure="total-income"
          />
          <Row
            c={c}
            label={t('finance.reports.total_costs')}
            amount={s.totalCosts}
            figure="total-costs"
          />
          <Row c={c} label={t('finance.reports.result')} amount={s.result} strong figure="result" />
        </tbody>
      </table>
    </div>
  );
}

export function BalanceSheetTable(props: { c: Context<AppEnv>; sheet: BalanceSheet }) {
  const { c, sheet: b } = props;
  const t = c.get('t');
  return (
    <>
      {b.balanced ? null : (
        <p class="alert" role="alert">
          {t('finance.reports.unbalanced')}
        </p>
      )}
      <div class="table-wrap">
        <table id="balance-sheet">
          <caption class="visually-hidden">{t('finance.reports.balance_sheet')}</caption>
          <Head c={c} year={b.year} />
          <tbody>
            <tr>
              <th scope="rowgroup" colspan={3}>
                <strong>{t('finance.reports.assets')}</strong>
              </th>
            </tr>
            {b.assets.map((g) => (
              <Group
                c={c}
                title={t(`finance.reports.group.${g.key}` as MessageKey)}
                group={g}
                figure={`assets-${g.key}`}
              />
            ))}
            <Row
              c={c}
              label={t('finance.reports.total_assets')}
              amount={b.totalAssets}
              strong
              figure="total-assets"
            />
            <tr>
              <th scope="rowgroup" colspan={3}>
                <strong>{t('finance.reports.equity_and_liabilities')}</strong>
              </th>
            </tr>
            <Group c={c} title={t('finance.reports.equity')} group={b.equity} figure="equity" />
            {b.liabilities.map((g) => (
              <Group
                c={c}
                title={t(`finance.reports.group.${g.key}` as MessageKey)}
                group={g}
                figure={`liabilities-${g.key}`}
              />
            ))}
            <Row
              c={c}
              label={t('finance.reports.total_equity_and_liabilities')}
              amount={b.totalEquityAndLiabilities}
              strong
              figure="total-equity-and-liabilities"
            />
          </tbody>
        </table>
      </div>
    </>
  );
}

export function TrialBalanceTable(props: { c: Context<AppEnv>; trial: TrialBalance }) {
  const { c, trial } = props;
  const t = c.get('t');
  if (trial.rows.length === 0) return <p class="muted">{t('finance.reports.empty')}</p>;
  return (
    <div class="table-wrap">
      <table id="trial-balance">
        <caption class="visually-hidden">{t('finance.reports.trial_balance')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('finance.reports.account')}</th>
            <th scope="col" class="num">
              {t('finance.reports.opening')}
            </th>
            <th scope="col" class="num">
              {t('finance.reports.debit')}
            </th>
            <th scope="col" class="num">
              {t('finance.reports.credit')}
            </th>
            <th scope="col" class="num">
              {t('finance.reports.closing')}
            </th>
          </tr>
        </thead>
        <tbody>
          {trial.rows.map((r) => (
            <tr data-account={r.account}>
              <th scope="row">{accountLabel(c, r)}</th>
              <td class="num">{kr(c, r.openingOre)}</td>
              <td class="num" data-ore={String(r.debitOre)}>
                {kr(c, r.debitOre)}
              </td>
              <td class="num" data-ore={String(r.creditOre)}>
                {kr(c, r.creditOre)}
              </td>
              <td class="num" data-ore={String(r.closingOre)}>
                {kr(c, r.closingOre)}
              </td>
            </tr>
          ))}
          <tr data-figure="trial-total">
            <th scope="row">
              <strong>{t('finance.reports.sum')}</strong>
            </th>
            <td />
            <td class="num" data-ore={String(trial.totalDebitOre)}>
              <strong>{kr(c, trial.totalDebitOre)}</strong>
            </td>
            <td class="num" data-ore={String(trial.totalCreditOre)}>
              <strong>{kr(c, trial.totalCreditOre)}</strong>
            </td>
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function YearPicker(props: {
  c: Context<AppEnv>;
  action: string;
  years: number[];
  year: number;
}) {
  const { c } = props;
  const t = c.get('t');
  return (
    <form method="get" action={props.action} class="filters">
      <div class="field">
        <label for="f-year">{t('finance.overview.year')}</label>
        <select id="f-year" name="year">
          {props.years.map((y) => (
            <option value={String(y)} selected={y === props.year}>
              {yearLabel(c, y)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="secondary">
        {t('finance.overview.show')}
      </button>
    </form>
  );
}

export function ReportsPage(props: { c: Context<AppEnv>; report: AnnualReport; years: number[] }) {
  const { c, report } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const year = report.bounds.year;
  return (
    <section>
      <h1>{t('finance.reports.title', { year: yearLabel(c, year) })}</h1>
      <YearPicker c={c} action="/finance/reports" years={props.years} year={year} />
      <p class="muted">
        {t('finance.reports.period', {
          from: formatDate(report.bounds.startsOn, locale),
          to: formatDate(report.bounds.endsOn, locale),
        })}
      </p>
      <p class="actions">
        <a href={`/finance/reports/${year}/annual.pdf`}>{t('finance.reports.pdf')}</a>
      </p>
      <h2>{t('finance.reports.income_statement')}</h2>
      <IncomeStatementTable c={c} statement={report.incomeStatement} />
      <h2>{t('finance.reports.balance_sheet')}</h2>
      <BalanceSheetTable c={c} sheet={report.balanceSheet} />
      <h2>{t('finance.reports.trial_balance')}</h2>
      <TrialBalanceTable c={c} trial={report.trialBalance} />
    </section>
  );
}
