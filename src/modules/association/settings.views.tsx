import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, FormErrors, type FormState } from '../../app/forms.js';
import { AssociationFields } from './association.views.js';

export function SettingsPage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('association.settings.title')}</h1>
      <FormErrors state={state} />
      <form method="post" action="/admin/settings" class="stack">
        <Csrf c={c} />
        <AssociationFields c={c} state={state} />
        <button type="submit">{t('form.save')}</button>
      </form>
    </section>
  );
}
