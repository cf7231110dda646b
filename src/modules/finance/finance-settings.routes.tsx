import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { redirectWithFlash } from '../../app/flash.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import {
  editAccountSchema,
  financeSettingsSchema,
  newAccountSchema,
} from './finance-settings.schemas.js';
import {
  addLedgerAccount,
  editLedgerAccount,
  financeSettingsView,
  updateFinanceSettings,
} from './finance-settings.usecases.js';
import { FinanceSettingsPage, financeSettingsValues } from './finance-settings.views.js';
import { findLedgerAccount } from './ledger.repository.js';
import { AccountEditPage, ChartPage } from './ledger.views.js';

async function renderSettings(c: Context<AppEnv>, state: FormState | null, status = 200) {
  const { settings, accounts } = await financeSettingsView(c.get('ctx'));
  return page(c, {
    title: c.get('t')('finance_settings.title'),
    status,
    body: (
      <FinanceSettingsPage
        c={c}
        state={state ?? emptyForm(financeSettingsValues(settings))}
        accounts={accounts}
      />
    ),
  });
}

async function renderChart(c: Context<AppEnv>, state: FormState, status = 200) {
  const { accounts } = await financeSettingsView(c.get('ctx'));
  return page(c, {
    title: c.get('t')('finance_settings.chart.title'),
    status,
    body: <ChartPage c={c} accounts={accounts} state={state} />,
  });
}

function renderAccount(c: Context<AppEnv>, number: string, state: FormState, status = 200) {
  return page(c, {
    title: c.get('t')('finance_settings.chart.edit_title', { number }),
    status,
    body: <AccountEditPage c={c} number={number} state={state} />,
  });
}

/** /finance/settings (fiscal year, accounts of the postings) and the chart of accounts. */
export function financeSettingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const read = requirePermission('finance.read');
  const manage = requirePermission('finance.manage');

  app.get('/finance/settings', manage, (c) => renderSettings(c, null));
  app.post('/finance/settings', manage, (c) =>
    handleForm(c, {
      schema: financeSettingsSchema,
      render: (state, status) => renderSettings(c, state, status),
      run: async (settings) => {
        await updateFinanceSettings(c.get('ctx'), { actor: actorOf(c), settings });
        return redirectWithFlash(c, '/finance/settings', 'flash.saved');
      },
    }),
  );

  app.get('/finance/accounts', read, (c) => renderChart(c, emptyForm()));
  app.post('/finance/accounts', manage, (c) =>
    handleForm(c, {
      schema: newAccountSchema,
      render: (state, status) => renderChart(c, state, status),
      run: async (input) => {
        await addLedgerAccount(c.get('ctx'), {
          actor: actorOf(c),
          account: { number: input.number, nameNb: input.name_nb, nameEn: input.name_en },
        });
        return redirectWithFlash(c, '/finance/accounts', 'finance_settings.flash.account_added');
      },
    }),
  );

  app.get('/finance/accounts/:number{[0-9]{4,6}}', manage, async (c) => {
    const number = c.req.param('number');
    const account = await findLedgerAccount(c.get('ctx').db, number);
    if (!account) throw CommonErrors.notFound();
    return renderAccount(
      c,
      number,
      emptyForm({
        name_nb: account.nameNb,
        name_en: account.nameEn,
        ...(account.active ? { active: 'on' } : {}),
      }),
    );
  });
  app.post('/finance/accounts/:number{[0-9]{4,6}}', manage, (c) => {
    const number = c.req.param('number');
    return handleForm(c, {
      schema: editAccountSchema,
      render: (state, status) => renderAccount(c, number, state, status),
      run: async (input) => {
        await editLedgerAccount(c.get('ctx'), {
          actor: actorOf(c),
          account: { number, nameNb: input.name_nb, nameEn: input.name_en, active: input.active },
        });
        return redirectWithFlash(c, '/finance/accounts', 'flash.saved');
      },
    });
  });

  return app;
}
