import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { handleForm } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { todayOf } from '../billing/overview.routes.js';
import { yearLabel } from '../members/members.components.js';
import { budgetRoutes, yearParam } from './budget.routes.js';
import { publishSchema } from './budget.schemas.js';
import { findBudget } from './budget.repository.js';
import { getBudgetComparison } from './budget.usecases.js';
import { exportsRoutes } from './exports.routes.js';
import { FinanceOverviewPage } from './finance-overview.views.js';
import { AnnualPage } from './reports-annual.views.js';
import { renderAnnualPdf } from './reports-pdf.js';
import { getPublished, setPublished } from './reports-publish.js';
import { currentFiscalYear, journalYearCounts, listJournalYears } from './reports.repository.js';
import { getAnnualReport, type AnnualReport } from './reports.usecases.js';
import { ReportsPage } from './reports.views.js';

async function yearChoices(c: Context<AppEnv>, year: number): Promise<number[]> {
  const { db, clock } = c.get('ctx');
  const current = await currentFiscalYear(db, clock.now());
  return [...new Set([year, current.year, ...(await listJournalYears(db))])].sort((a, b) => b - a);
}

async function pdfResponse(c: Context<AppEnv>, report: AnnualReport) {
  const locale = c.get('locale');
  const pdf = await renderAnnualPdf(report, {
    associationName: c.get('association')?.name ?? '',
    locale,
    printedOn: todayOf(c),
    yearLabel: (y) => yearLabel(c, y),
  });
  const name = locale === 'nb' ? 'arsregnskap' : 'annual-accounts';
  return c.body(new Uint8Array(pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': `inline; filename="${name}-${report.bounds.year}.pdf"`,
    'Cache-Control': 'no-store',
  });
}

/** Who may see the annual page of `year`, and what of it. */
async function annualAccess(c: Context<AppEnv>, year: number) {
  const user = c.get('user');
  const officer = !!user?.permissions.has('finance.read');
  const published = await getPublished(c.get('ctx').db);
  const shown = {
    accounts: published.accounts.includes(year),
    budget: published.budgets.includes(year),
  };
  // Members read what is published; everyone else (and members, when nothing is) a 404,
  // so the address does not reveal whether accounts exist.
  if (!officer && (!user?.memberId || (!shown.accounts && !shown.budget)))
    throw CommonErrors.notFound();
  return { officer, shown };
}

/** The finance overview, year-end reports, budget, exports and the published annual pages. */
export function reportsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('finance.read');
  const manage = requirePermission('finance.manage');
  app.route('/', budgetRoutes());
  app.route('/', exportsRoutes());

  app.get('/finance', read, async (c) => {
    const { db, clock } = c.get('ctx');
    const q = c.req.query('year');
    const year = q ? yearParam(q) : (await currentFiscalYear(db, clock.now())).year;
    const [report, counts, budget, years] = await Promise.all([
      getAnnualReport(db, { year }),
      journalYearCounts(db, year),
      findBudget(db, year),
      yearChoices(c, year),
    ]);
    const budgetResult = budget
      ? budget.lines.reduce(
          (s, l) => s + (l.account.startsWith('3') ? l.amountOre : -l.amountOre),
          0,
        )
      : null;
    const s = report.incomeStatement;
    return page(c, {
      title: c.get('t')('finance.overview.title'),
      body: (
        <FinanceOverviewPage
          c={c}
          bounds={report.bounds}
          years={years}
          figures={{
            incomeOre: s.totalIncome.current,
            costsOre: s.totalCosts.current,
            resultOre: s.result.current,
            bankOre: report.trialBalance.rows
              .filter((r) => r.account.startsWith('19'))
              .reduce((sum, r) => sum + r.closingOre, 0),
            budgetResultOre: budgetResult,
            entries: counts.entries,
            lastPostedOn: counts.lastPostedOn,
          }}
        />
      ),
    });
  });

  app.get('/finance/reports', read, async (c) => {
    const q = c.req.query('year');
    const year = q
      ? yearParam(q)
      : (await currentFiscalYear(c.get('ctx').db, c.get('ctx').clock.now())).year;
    return c.redirect(`/finance/reports/${year}`, q ? 303 : 302);
  });

  app.get('/finance/reports/:year', read, async (c) => {
    const year = yearParam(c.req.param('year'));
    const [report, years] = await Promise.all([
      getAnnualReport(c.get('ctx').db, { year }),
      yearChoices(c, year),
    ]);
    return page(c, {
      title: c.get('t')('finance.reports.title', { year: yearLabel(c, year) }),
      body: <ReportsPage c={c} report={report} years={years} />,
    });
  });

  app.get('/finance/reports/:year/annual.pdf', read, async (c) => {
    const year = yearParam(c.req.param('year'));
    return pdfResponse(c, await getAnnualReport(c.get('ctx').db, { year }));
  });

  app.get('/finance/annual/:year', requireUser(), async (c) => {
    const year = yearParam(c.req.param('year'));
    const { officer, shown } = await annualAccess(c, year);
    const db = c.get('ctx').db;
    const [report, comparison] = await Promise.all([
      officer || shown.accounts ? getAnnualReport(db, { year }) : null,
      officer || shown.budget ? getBudgetComparison(db, { year }) : null,
    ]);
    return page(c, {
      title: c.get('t')('finance.annual.title', { year: yearLabel(c, year) }),
      body: (
        <AnnualPage
          c={c}
          year={year}
          report={report}
          comparison={comparison}
          published={shown}
          canPublish={!!c.get('user')?.permissions.has('finance.manage')}
          url={`${c.get('ctx').config.baseUrl}/finance/annual/${year}`}
        />
      ),
    });
  });

  app.get('/finance/annual/:year/accounts.pdf', requireUser(), async (c) => {
    const year = yearParam(c.req.param('year'));
    const { officer, shown } = await annualAccess(c, year);
    if (!officer && !shown.accounts) throw CommonErrors.notFound();
    return pdfResponse(c, await getAnnualReport(c.get('ctx').db, { year }));
  });

  app.post('/finance/annual/:year/publish', manage, (c) => {
    const year = yearParam(c.req.param('year'));
    return handleForm(c, {
      schema: publishSchema,
      render: () => {
        throw CommonErrors.validation();
      },
      run: async (input) => {
        await setPublished(c.get('ctx'), {
          actor: actorOf(c),
          year,
          kind: input.kind,
          published: input.published === '1',
        });
        return redirectWithFlash(c, `/finance/annual/${year}`, 'finance.annual.saved');
      },
    });
  });

  return app;
}
