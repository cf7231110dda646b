import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { recordAudit } from '../../app/audit.js';
import type { AppEnv } from '../../app/context.js';
import { Csrf, emptyForm, Field, FormErrors, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { getModerationSettings, saveModerationSettings } from './decisions.repository.js';

const settingsSchema = z.object({
  urgent_confirm_hours: z.coerce.number().int().min(1).max(720),
  appeal_days: z.coerce.number().int().min(1).max(365),
});

/** The board sets how long an urgent suspension may stand unconfirmed, and the appeal deadline. */
export function decisionSettingsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const board = requirePermission('moderation.exclude');

  const render = (c: Context<AppEnv>, state: FormState, status = 200) => {
    const t = c.get('t');
    return page(c, {
      title: t('moderation.settings.title'),
      status,
      body: (
        <section>
          <h1>{t('moderation.settings.title')}</h1>
          <form method="post" action="/moderation/settings" class="card">
            <Csrf c={c} />
            <FormErrors state={state} />
            <Field
              state={state}
              name="urgent_confirm_hours"
              type="number"
              inputmode="numeric"
              label={t('moderation.settings.urgent_confirm_hours')}
              required
            />
            <Field
              state={state}
              name="appeal_days"
              type="number"
              inputmode="numeric"
              label={t('moderation.settings.appeal_days')}
              required
            />
            <button type="submit">{t('moderation.settings.save')}</button>
          </form>
        </section>
      ),
    });
  };

  app.get('/moderation/settings', board, async (c) => {
    const s = await getModerationSettings(c.get('ctx').db);
    return render(
      c,
      emptyForm({
        urgent_confirm_hours: String(s.urgentConfirmHours),
        appeal_days: String(s.appealDays),
      }),
    );
  });

  app.post('/moderation/settings', board, (c) =>
    handleForm(c, {
      schema: settingsSchema,
      render: (state, status) => render(c, state, status),
      run: async (input) => {
        const { db, clock } = c.get('ctx');
        await db.transaction().execute(async (tx) => {
          const before = await getModerationSettings(tx);
          const after = {
            urgentConfirmHours: input.urgent_confirm_hours,
            appealDays: input.appeal_days,
          };
          await saveModerationSettings(tx, after);
          await recordAudit(tx, {
            actor: actorOf(c),
            action: 'moderation.settings_changed',
            entityType: 'settings',
            entityId: 'moderation',
            before,
            after,
            at: clock.now(),
          });
        });
        return redirectWithFlash(c, '/moderation/settings', 'moderation.settings.saved');
      },
    }),
  );

  return app;
}
