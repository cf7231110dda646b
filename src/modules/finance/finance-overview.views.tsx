import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate } from '../../app/dates.js';
import type { MessageKey } from '../../app/i18n.js';
import { yearLabel } from '../members/members.components.js';
import type { FiscalYearBounds } from './reports.repository.js';
import { kr, YearPicker } from './reports.views.js';

export type FinanceFigures = {
  incomeOre: number;
  costsOre: number;
  resultOre: number;
  bankOre: number;
  budgetResultOre: number | null;
  entries: number;
  lastPostedOn: string | null;
};

/** GET /finance: the year's key figures and the way to every accounting page. */
export function FinanceOverviewPage(props: {
  c: Context<AppEnv>;
  bounds: FiscalYearBounds;
  years: number[];
  figures: FinanceFigures;
}) {
  const { c, bounds, figures: f } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const p = c.get('user')?.permissions;
  const canManage = !!p?.has('finance.manage');
  const year = bounds.year;
  const links: { href: string; label: MessageKey; show: boolean }[] = [
    { href: '/finance/journal', label: 'finance.overview.link.journal', show: true },
    { href: `/finance/reports/${year}`, label: 'finance.overview.link.reports', show: true },
    { href: `/finance/budget/${year}`, label: 'finance.overview.link.budget', show: true },
    { href: '/finance/exports', label: 'finance.overview.link.exports', show: true },
    {
      href: '/expenses/queue',
      label: 'finance.overview.link.expenses',
      show: !!(p?.has('expenses.attest') || p?.has('expenses.approve') || canManage),
    },
    { href: `/finance/annual/${year}`, label: 'finance.overview.link.annual', show: true },
    { href: '/finance/settings', label: 'finance.overview.link.settings', show: canManage },
  ];
  const figure = (name: string, label: MessageKey, ore: number) => (
    <>
      <dt>{t(label)}</dt>
      <dd data-figure={name} data-ore={String(ore)}>
        {`kr ${kr(c, ore)}`}
      </dd>
    </>
  );
  return (
    <section>
      <h1>{t('finance.overview.title')}</h1>
      <nav aria-label={t('finance.overview.links')} class="actions">
        {links
          .filter((l) => l.show)
          .map((l) => (
            <a href={l.href}>{t(l.label)}</a>
          ))}
      </nav>
      {canManage ? null : <p class="notice">{t('finance.overview.read_only')}</p>}
      <YearPicker c={c} action="/finance" years={props.years} year={year} />
      <p class="muted">
        {t('finance.overview.period', {
          from: formatDate(bounds.startsOn, locale),
          to: formatDate(bounds.endsOn, locale),
        })}
      </p>
      <h2>{t('finance.overview.figures', { year: yearLabel(c, year) })}</h2>
      {f.entries === 0 ? <p class="muted">{t('finance.overview.no_entries')}</p> : null}
      <dl class="figures">
        {figure('income', 'finance.overview.income', f.incomeOre)}
        {figure('costs', 'finance.overview.costs', f.costsOre)}
        {figure('result', 'finance.overview.result', f.resultOre)}
        {f.budgetResultOre === null
          ? null
          : figure('budget-result', 'finance.overview.budget_result', f.budgetResultOre)}
        {figure('bank', 'finance.overview.bank', f.bankOre)}
        <dt>{t('finance.overview.entries')}</dt>
        <dd data-figure="entries">{f.entries}</dd>
        {f.lastPostedOn ? (
          <>
            <dt>{t('finance.overview.last_posted')}</dt>
            <dd>{formatDate(f.lastPostedOn, locale)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
