import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Checkbox, Csrf, Field, FormErrors, Select, type FormState } from '../../app/forms.js';
import type { GovernanceSettings } from './governance-settings.repository.js';

export function settingsValues(s: GovernanceSettings): Record<string, string> {
  return {
    notice_days: String(s.noticeDays),
    founding_notice_days: String(s.foundingNoticeDays),
    proposal_deadline_days: String(s.proposalDeadlineDays),
    publication_days: String(s.publicationDays),
    qualifying_days: String(s.qualifyingDays),
    secret_ballot_threshold: String(s.secretBallotThreshold),
    statute_majority_numerator: String(s.statuteMajorityNumerator),
    statute_majority_denominator: String(s.statuteMajorityDenominator),
    statute_majority_base: s.statuteMajorityBase,
    simple_majority_base: s.simpleMajorityBase,
    ...(s.proxiesEnabled ? { proxies_enabled: 'on' } : {}),
    proxy_cap: String(s.proxyCap),
    board_seats: String(s.boardSeats),
    board_term_months: String(s.boardTermMonths),
    alternate_seats: String(s.alternateSeats),
    alternate_term_months: String(s.alternateTermMonths),
    auditor_seats: String(s.auditorSeats),
    auditor_term_months: String(s.auditorTermMonths),
  };
}

export function GovernanceSettingsPage(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  const number = (name: string, label: string, hint?: string) => (
    <Field
      state={state}
      name={name}
      label={label}
      inputmode="numeric"
      required
      {...(hint ? { hint } : {})}
    />
  );
  const bases = [
    { value: 'present', label: t('governance.settings.base_present') },
    { value: 'cast', label: t('governance.settings.base_cast') },
  ];
  return (
    <section>
      <h1>{t('governance.settings.title')}</h1>
      <p>{t('governance.settings.intro')}</p>
      <FormErrors state={state} />
      <form method="post" action="/governance/settings" class="stack">
        <Csrf c={c} />
        <fieldset class="card">
          <legend>{t('governance.settings.deadlines')}</legend>
          {number('notice_days', t('governance.settings.notice_days'))}
          {number('founding_notice_days', t('governance.settings.founding_notice_days'))}
          {number('proposal_deadline_days', t('governance.settings.proposal_deadline_days'))}
          {number('publication_days', t('governance.settings.publication_days'))}
          {number(
            'qualifying_days',
            t('governance.settings.qualifying_days'),
            t('governance.settings.qualifying_days_hint'),
          )}
        </fieldset>
        <fieldset class="card">
          <legend>{t('governance.settings.votes')}</legend>
          {number('secret_ballot_threshold', t('governance.settings.secret_ballot_threshold'))}
          {number('statute_majority_numerator', t('governance.settings.statute_numerator'))}
          {number('statute_majority_denominator', t('governance.settings.statute_denominator'))}
          <Select
            state={state}
            name="statute_majority_base"
            label={t('governance.settings.statute_base')}
            options={bases}
          />
          <Select
            state={state}
            name="simple_majority_base"
            label={t('governance.settings.simple_base')}
            options={bases}
          />
          <Checkbox state={state} name="proxies_enabled" label={t('governance.settings.proxies')} />
          {number('proxy_cap', t('governance.settings.proxy_cap'))}
        </fieldset>
        <fieldset class="card">
          <legend>{t('governance.settings.elections')}</legend>
          {number(
            'board_seats',
            t('governance.settings.board_seats'),
            t('governance.settings.board_seats_hint'),
          )}
          {number('board_term_months', t('governance.settings.board_term_months'))}
          {number('alternate_seats', t('governance.settings.alternate_seats'))}
          {number('alternate_term_months', t('governance.settings.alternate_term_months'))}
          {number('auditor_seats', t('governance.settings.auditor_seats'))}
          {number('auditor_term_months', t('governance.settings.auditor_term_months'))}
        </fieldset>
        <button type="submit">{t('form.save')}</button>
      </form>
    </section>
  );
}
