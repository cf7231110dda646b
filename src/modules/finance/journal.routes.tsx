import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { redirectWithFlash } from '../../app/flash.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { financeSettingsRoutes } from './finance-settings.routes.js';
import {
  entryDetail,
  fiscalYears,
  journalPage,
  ledgerPage,
  trialBalancePage,
} from './journal-pages.usecases.js';
import {
  FORM_LINES,
  journalFilterSchema,
  manualEntryFormSchema,
  reverseSchema,
  yearQuerySchema,
} from './journal.schemas.js';
import { createManualEntry, reverseEntry } from './journal.usecases.js';
import { EntryPage, entryLabel, JournalListPage, NewEntryPage } from './journal.views.js';
import { LedgerStatementPage, TrialBalancePage } from './ledger.views.js';
import { postAll } from './posting.usecases.js';

const PAGE_SIZE = 50;
const LEDGER_PAGE_SIZE = 200;

async function renderEntry(c: Context<AppEnv>, id: string, state: FormState, status = 200) {
  const detail = await entryDetail(c.get('ctx'), id);
  return page(c, {
    title: c.get('t')('journal.entry.title', { number: entryLabel(detail.entry) }),
    status,
    body: <EntryPage c={c} detail={detail} state={state} />,
  });
}

function renderNew(c: Context<AppEnv>, state: FormState, status = 200) {
  const rows = Object.keys(state.values).reduce((n, k) => {
    const m = /^account_(\d+)$/.exec(k);
    return m && state.values[k] ? Math.max(n, Number(m[1])) : n;
  }, FORM_LINES);
  return page(c, {
    title: c.get('t')('journal.new.title'),
    status,
    body: <NewEntryPage c={c} state={state} rows={rows} />,
  });
}

/** Journal: entries, manual postings, reversals, account statements and trial balance. */
export function journalRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('finance.read');
  const manage = requirePermission('finance.manage');

  app.get('/finance/journal', read, async (c) => {
    const filter = journalFilterSchema.parse(c.req.query());
    const deps = c.get('ctx');
    const { years } = await fiscalYears(deps);
    const result = await journalPage(deps, { filter, page: filter.page, pageSize: PAGE_SIZE });
    return page(c, {
      title: c.get('t')('journal.title'),
      body: <JournalListPage c={c} filter={filter} years={years} result={result} />,
    });
  });

  app.post('/finance/journal/post', manage, async (c) => {
    const deps = c.get('ctx');
    await postAll({ ...deps, logger: deps.logger }, { actor: actorOf(c) });
    return redirectWithFlash(c, '/finance/journal', 'journal.flash.posted');
  });

  app.get('/finance/journal/new', manage, (c) => renderNew(c, emptyForm()));

  app.post('/finance/journal/new', manage, (c) =>
    handleForm(c, {
      schema: manualEntryFormSchema,
      render: (state, status) => renderNew(c, state, status),
      run: async (input) => {
        const { entry } = await createManualEntry(c.get('ctx'), {
          actor: actorOf(c),
          entry: input,
          // An error about line i points at the account field of its row on the form.
          field: (i) => `account_${input.lines[i]?.row ?? i + 1}`,
        });
        return redirectWithFlash(c, `/finance/journal/${entry.id}`, 'journal.flash.created');
      },
    }),
  );

  app.get('/finance/journal/:id', read, (c) => renderEntry(c, c.req.param('id'), emptyForm()));

  app.post('/finance/journal/:id/reverse', manage, (c) =>
    handleForm(c, {
      schema: reverseSchema,
      render: (state, status) => renderEntry(c, c.req.param('id'), state, status),
      run: async (input) => {
        const { reversal } = await reverseEntry(c.get('ctx'), {
          actor: actorOf(c),
          entryId: c.req.param('id'),
          date: input.date,
          reason: input.reason,
        });
        return redirectWithFlash(c, `/finance/journal/${reversal.id}`, 'journal.flash.reversed');
      },
    }),
  );

  app.get('/finance/ledger/:account{[0-9]{4,6}}', read, async (c) => {
    const deps = c.get('ctx');
    const q = yearQuerySchema.parse(c.req.query());
    const { current, years } = await fiscalYears(deps);
    const year = q.year ?? current;
    const number = c.req.param('account');
    const result = await ledgerPage(deps, {
      account: number,
      year,
      page: q.page,
      pageSize: LEDGER_PAGE_SIZE,
    });
    return page(c, {
      title: c.get('t')('journal.ledger.title', { account: number, name: '' }),
      body: (
        <LedgerStatementPage
          c={c}
          number={number}
          year={year}
          years={years.includes(year) ? years : [year, ...years]}
          result={result}
        />
      ),
    });
  });

  app.get('/finance/trial-balance', read, async (c) => {
    const deps = c.get('ctx');
    const q = yearQuerySchema.parse(c.req.query());
    const { current, years } = await fiscalYears(deps);
    const year = q.year ?? current;
    const result = await trialBalancePage(deps, year);
    return page(c, {
      title: c.get('t')('journal.trial.title', { year }),
      body: (
        <TrialBalancePage
          c={c}
          year={year}
          years={years.includes(year) ? years : [year, ...years]}
          result={result}
        />
      ),
    });
  });

  app.route('/', financeSettingsRoutes());
  return app;
}
