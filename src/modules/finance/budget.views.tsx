import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import { Csrf, FormErrors, type FormState } from '../../app/forms.js';
import { formatOre } from '../../app/money.js';
import { yearLabel } from '../members/members.components.js';
import type { Budget } from './budget.repository.js';
import { BUDGET_EMPTY_ROWS } from './budget.schemas.js';
import type { BudgetComparison, ComparisonRow } from './budget.usecases.js';
import { kr, YearPicker } from './reports.views.js';

const oreToInput = (ore: number) => {
  const s = formatOre(ore, 'nb').replace(/\s|\u00a0/g, '');
  return s.endsWith(',00') ? s.slice(0, -3) : s;
};

/** Two bars per account, budget and actual, drawn on the server (no script, CSP-safe). */
export function BudgetChart(props: { c: Context<AppEnv>; rows: ComparisonRow[] }) {
  const { c, rows } = props;
  const t = c.get('t');
  if (rows.length === 0) return null;
  const W = 720;
  const rowH = 34;
  const left = 170;
  const right = 90;
  const top = 26;
  const H = top + rows.length * rowH + 10;
  const max = Math.max(1, ...rows.flatMap((r) => [Math.abs(r.budgetOre), Math.abs(r.actualOre)]));
  const w = (v: number) => (Math.abs(v) / max) * (W - left - right);
  return (
    <svg
      id="budget-chart"
      class="chart"
      role="img"
      aria-labelledby="budget-chart-title budget-chart-desc"
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      preserveAspectRatio="xMidYMid meet"
    >
      <title id="budget-chart-title">{t('finance.budget.chart')}</title>
      <desc id="budget-chart-desc">{t('finance.budget.chart_desc')}</desc>
      <g font-size="12" fill="#4a5460">
        <rect x={left} y={4} width={12} height={10} fill="#9fb7c9" />
        <text x={left + 16} y={13}>
          {t('finance.budget.legend_budget')}
        </text>
        <rect x={left + 110} y={4} width={12} height={10} fill="#1d5c4d" />
        <text x={left + 126} y={13}>
          {t('finance.budget.legend_actual')}
        </text>
      </g>
      {rows.map((r, i) => {
        const y = top + i * rowH;
        return (
          <g font-size="11" fill="#4a5460">
            <text x={left - 6} y={y + 17} text-anchor="end">
              {`${r.account} ${(r.description ?? r.name?.[c.get('locale')] ?? '').slice(0, 22)}`}
            </text>
            <rect x={left} y={y + 2} width={w(r.budgetOre).toFixed(1)} height={12} fill="#9fb7c9">
              <title>{`${t('finance.budget.legend_budget')}: kr ${kr(c, r.budgetOre)}`}</title>
            </rect>
            <rect
              x={left}
              y={y + 16}
              width={w(r.actualOre).toFixed(1)}
              height={12}
              fill={r.actualOre < 0 ? '#a4161a' : '#1d5c4d'}
            >
              <title>{`${t('finance.budget.legend_actual')}: kr ${kr(c, r.actualOre)}`}</title>
            </rect>
            <text
              x={left + w(Math.max(Math.abs(r.budgetOre), Math.abs(r.actualOre))) + 4}
              y={y + 26}
            >
              {kr(c, r.actualOre)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function ComparisonRows(props: { c: Context<AppEnv>; rows: ComparisonRow[] }) {
  const { c } = props;
  const t = c.get('t');
  return (
    <>
      {props.rows.map((r) => (
        <tr data-account={r.account}>
          <td>{r.account}</td>
          <td>{r.description ?? <em>{t('finance.budget.unbudgeted')}</em>}</td>
          <td class="num" data-ore={String(r.budgetOre)}>
            {kr(c, r.budgetOre)}
          </td>
          <td class="num" data-ore={String(r.actualOre)}>
            {kr(c, r.actualOre)}
          </td>
          <td class="num">{kr(c, r.differenceOre)}</td>
        </tr>
      ))}
    </>
  );
}

function TotalRow(props: {
  c: Context<AppEnv>;
  label: string;
  figure: string;
  total: { budgetOre: number; actualOre: number };
}) {
  const { c, total } = props;
  return (
    <tr data-figure={props.figure}>
      <th scope="row" colspan={2}>
        <strong>{props.label}</strong>
      </th>
      <td class="num" data-ore={String(total.budgetOre)}>
        <strong>{kr(c, total.budgetOre)}</strong>
      </td>
      <td class="num" data-ore={String(total.actualOre)}>
        <strong>{kr(c, total.actualOre)}</strong>
      </td>
      <td class="num">
        <strong>{kr(c, total.actualOre - total.budgetOre)}</strong>
      </td>
    </tr>
  );
}

export function ComparisonTable(props: { c: Context<AppEnv>; comparison: BudgetComparison }) {
  const { c, comparison: cmp } = props;
  const t = c.get('t');
  return (
    <div class="table-wrap">
      <table id="budget-vs-actual">
        <caption class="visually-hidden">{t('finance.budget.vs_actual')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('finance.budget.account')}</th>
            <th scope="col">{t('finance.budget.description')}</th>
            <th scope="col" class="num">
              {t('finance.budget.budget')}
            </th>
            <th scope="col" class="num">
              {t('finance.budget.actual')}
            </th>
            <th scope="col" class="num">
              {t('finance.budget.difference')}
            </th>
          </tr>
        </thead>
        <tbody>
          <ComparisonRows c={c} rows={cmp.income} />
          <TotalRow
            c={c}
            label={t('finance.budget.total_income')}
            figure="income"
            total={cmp.totals.income}
          />
          <ComparisonRows c={c} rows={cmp.costs} />
          <TotalRow
            c={c}
            label={t('finance.budget.total_costs')}
            figure="costs"
            total={cmp.totals.costs}
          />
          <TotalRow
            c={c}
            label={t('finance.budget.result')}
            figure="result"
            total={cmp.totals.result}
          />
        </tbody>
      </table>
    </div>
  );
}

function BudgetForm(props: {
  c: Context<AppEnv>;
  budget: Budget | null;
  state: FormState | null;
  year: number;
}) {
  const { c, budget, state, year } = props;
  const t = c.get('t');
  const values: Record<string, string> = state?.values ?? {};
  const errors = state?.errors ?? {};
  const saved = budget?.lines ?? [];
  const count = state
    ? Math.max(
        saved.length + BUDGET_EMPTY_ROWS,
        ...Object.keys(values)
          .map((k) => /^(?:account|description|amount)_(\d+)$/.exec(k)?.[1])
          .filter((n): n is string => !!n)
          .map((n) => Number(n) + 1),
      )
    : saved.length + BUDGET_EMPTY_ROWS;
  const value = (name: string, i: number, fallback: string) =>
    state ? (values[`${name}_${i}`] ?? '') : fallback;
  const cell = (
    name: string,
    i: number,
    fallback: string,
    label: string,
    extra: Record<string, string> = {},
  ) => {
    const key = `${name}_${i}`;
    const error = errors[key];
    return (
      <td class={error ? 'field invalid' : undefined}>
        <label for={`f-${key}`} class="visually-hidden">{`${label} ${i + 1}`}</label>
        <input
          id={`f-${key}`}
          name={key}
          type="text"
          value={value(name, i, fallback)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `f-${key}-error` : undefined}
          {...extra}
        />
        {error ? (
          <p class="error" id={`f-${key}-error`}>
            {error}
          </p>
        ) : null}
      </td>
    );
  };
  return (
    <form method="post" action={`/finance/budget/${year}`}>
      <Csrf c={c} />
      {state ? <FormErrors state={state} /> : null}
      <p class="hint">{t('finance.budget.line_hint')}</p>
      <div class="table-wrap">
        <table id="budget-lines">
          <caption class="visually-hidden">{t('finance.budget.lines')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('finance.budget.account')}</th>
              <th scope="col">{t('finance.budget.description')}</th>
              <th scope="col" class="num">
                {t('finance.budget.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: count }, (_, i) => {
              const l = saved[i];
              return (
                <tr>
                  {cell('account', i, l?.account ?? '', t('finance.budget.account'), {
                    inputmode: 'numeric',
                    size: '6',
                  })}
                  {cell('description', i, l?.description ?? '', t('finance.budget.description'))}
                  {cell('amount', i, l ? oreToInput(l.amountOre) : '', t('finance.budget.amount'), {
                    inputmode: 'decimal',
                    size: '10',
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class={errors['note'] ? 'field invalid' : 'field'}>
        <label for="f-note">{t('finance.budget.note')}</label>
        <textarea id="f-note" name="note" rows={3}>
          {state ? (values['note'] ?? '') : (budget?.note ?? '')}
        </textarea>
      </div>
      <button type="submit">{t('finance.budget.save')}</button>
    </form>
  );
}

export function BudgetPage(props: {
  c: Context<AppEnv>;
  year: number;
  years: number[];
  comparison: BudgetComparison;
  canEdit: boolean;
  canCopy: boolean;
  formState: FormState | null;
  adoptState: FormState | null;
  today: string;
}) {
  const { c, year, comparison } = props;
  const budget = comparison.budget;
  const t = c.get('t');
  const locale = c.get('locale');
  const adopted = budget?.status === 'adopted';
  const chartRows = [...comparison.income, ...comparison.costs];
  return (
    <section>
      <h1>{t('finance.budget.title', { year: yearLabel(c, year) })}</h1>
      <YearPicker c={c} action="/finance/budget" years={props.years} year={year} />
      {budget ? (
        <p>
          <span class={adopted ? 'badge active' : 'badge'} data-status={budget.status}>
            {adopted
              ? t('finance.budget.status.adopted', {
                  date: formatDate(budget.adoptedOn ?? '', locale),
                })
              : t('finance.budget.status.draft')}
          </span>
        </p>
      ) : (
        <p class="muted">{t('finance.budget.none')}</p>
      )}
      {budget?.note ? <p>{budget.note}</p> : null}

      <h2>{t('finance.budget.vs_actual')}</h2>
      <BudgetChart c={c} rows={chartRows} />
      <ComparisonTable c={c} comparison={comparison} />

      {props.canEdit ? (
        <>
          <h2>{t('finance.budget.lines')}</h2>
          {adopted ? (
            <>
              <p class="notice">{t('finance.budget.locked')}</p>
              <form method="post" action={`/finance/budget/${year}/reopen`}>
                <Csrf c={c} />
                <button type="submit" class="secondary">
                  {t('finance.budget.reopen')}
                </button>
              </form>
            </>
          ) : (
            <>
              <BudgetForm c={c} budget={budget} state={props.formState} year={year} />
              {props.canCopy ? (
                <form method="post" action={`/finance/budget/${year}/copy`} class="actions">
                  <Csrf c={c} />
                  <button type="submit" class="secondary">
                    {t('finance.budget.copy', { year: yearLabel(c, year - 1) })}
                  </button>
                </form>
              ) : null}
              {budget && budget.lines.length > 0 ? (
                <form method="post" action={`/finance/budget/${year}/adopt`} class="filters">
                  <Csrf c={c} />
                  {props.adoptState ? <FormErrors state={props.adoptState} /> : null}
                  <div class={props.adoptState?.errors['adopted_on'] ? 'field invalid' : 'field'}>
                    <label for="f-adopted_on">{t('finance.budget.adopted_on')}</label>
                    <input
                      id="f-adopted_on"
                      name="adopted_on"
                      type="date"
                      value={props.adoptState?.values['adopted_on'] ?? props.today}
                      required
                    />
                    {props.adoptState?.errors['adopted_on'] ? (
                      <p class="error">{props.adoptState.errors['adopted_on']}</p>
                    ) : null}
                  </div>
                  <button type="submit">{t('finance.budget.adopt')}</button>
                </form>
              ) : null}
            </>
          )}
        </>
      ) : null}
    </section>
  );
}
