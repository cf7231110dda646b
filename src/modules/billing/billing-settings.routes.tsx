import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { getBillingSettings } from './billing-settings.repository.js';
import { billingSettingsSchema } from './billing-settings.schemas.js';
import { toBillingSettings, updateBillingSettings } from './billing-settings.usecases.js';
import { BillingSettingsPage, settingsValues } from './billing-settings.views.js';

function render(c: Context<AppEnv>, state: FormState, status = 200) {
  return page(c, {
    title: c.get('t')('invoices.settings.title'),
    status,
    body: <BillingSettingsPage c={c} state={state} />,
  });
}

/** /billing/settings: bank account, due days, KID, reminders, the note on invoices. */
export function billingSettingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = requirePermission('billing.manage');

  app.get('/billing/settings', guard, async (c) => {
    const settings = await getBillingSettings(c.get('ctx').db);
    return render(c, emptyForm(settingsValues(settings, c.get('locale'))));
  });

  app.post('/billing/settings', guard, (c) =>
    handleForm(c, {
      schema: billingSettingsSchema,
      render: (state, status) => render(c, state, status),
      run: async (input) => {
        await updateBillingSettings(c.get('ctx'), {
          actor: actorOf(c),
          settings: toBillingSettings(input),
        });
        return redirectWithFlash(c, '/billing/settings', 'flash.saved');
      },
    }),
  );

  return app;
}
