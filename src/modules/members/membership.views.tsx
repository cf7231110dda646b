import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Checkbox, Csrf, Field, FormErrors, TextArea, type FormState } from '../../app/forms.js';
import type { AssociationDocument } from '../association/association.repository.js';
import {
  AcceptancesTable,
  date,
  money,
  OfficeTermsTable,
  PeriodsTable,
  StatusBadge,
  typeLabel,
  yearLabel,
} from './members.components.js';
import type { MembershipFacts, TypeWithFee } from './members.queries.js';
import { MAY_APPLY_AGAIN, MAY_RESIGN } from './members.transitions.js';

export function MyMembershipPage(props: {
  c: Context<AppEnv>;
  facts: MembershipFacts | null;
  currentYear: number;
  resign: FormState;
}) {
  const { c, facts } = props;
  const t = c.get('t');
  const user = c.get('user');
  const unverified = user && !user.emailVerified;
  return (
    <section>
      <h1>{t('members.my.title')}</h1>
      {unverified ? (
        <p class="warn" role="status">
          {t('members.my.unverified')}
        </p>
      ) : null}
      {facts ? (
        <MembershipSummary c={c} facts={facts} currentYear={props.currentYear} />
      ) : (
        <div class="card">
          <p>{t('members.my.none')}</p>
          {unverified ? null : (
            <p>
              <a class="button" href="/membership/apply">
                {t('members.my.apply')}
              </a>
            </p>
          )}
        </div>
      )}
      {facts && MAY_RESIGN.includes(facts.member.status) ? (
        <ResignForm c={c} state={props.resign} />
      ) : null}
    </section>
  );
}

function MembershipSummary(props: {
  c: Context<AppEnv>;
  facts: MembershipFacts;
  currentYear: number;
}) {
  const { c, facts } = props;
  const { member } = facts;
  const t = c.get('t');
  return (
    <>
      <div class="card">
        <dl class="facts">
          <dt>{t('members.field.status')}</dt>
          <dd>
            <StatusBadge c={c} status={member.status} />
          </dd>
          <dt>{t('members.field.type')}</dt>
          <dd>{typeLabel(c, facts.type)}</dd>
          <dt>{t('members.field.member_number')}</dt>
          <dd>{member.memberNumber}</dd>
          <dt>{t('members.field.joined_on')}</dt>
          <dd>{date(c, member.joinedOn)}</dd>
        </dl>
        {member.status === 'applied' ? <p role="status">{t('members.my.applied_note')}</p> : null}
        {MAY_APPLY_AGAIN.includes(member.status) && c.get('user')?.emailVerified ? (
          <p>
            <a class="button" href="/membership/apply">
              {t('members.my.apply_again')}
            </a>
          </p>
        ) : null}
      </div>

      <h2>{t('members.periods.title')}</h2>
      <PeriodsTable c={c} periods={facts.periods} currentYear={props.currentYear} />

      <h2>{t('members.offices.title')}</h2>
      <OfficeTermsTable c={c} terms={facts.terms} />

      <h2>{t('members.acceptances.title')}</h2>
      <AcceptancesTable c={c} acceptances={facts.acceptances} />

      <h2>{t('members.my.links')}</h2>
      <ul>
        <li>
          <a href="/membership/invoices">{t('billing.my.link')}</a>
        </li>
        <li>
          <a href="/membership/profile">{t('members.my.profile')}</a>
        </li>
        <li>
          <a href="/membership/data.json">{t('members.my.export')}</a>
        </li>
        <li>
          <a href="/membership/erase">{t('members.my.erase')}</a>
        </li>
      </ul>
    </>
  );
}

function ResignForm(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <section aria-labelledby="resign-heading">
      <h2 id="resign-heading">{t('members.resign.title')}</h2>
      <p>{t('members.resign.intro')}</p>
      <FormErrors state={state} />
      <form method="post" action="/membership/resign" class="stack card">
        <Csrf c={c} />
        <Checkbox state={state} name="confirm" label={t('members.resign.confirm')} />
        <TextArea state={state} name="reason" label={t('members.resign.reason')} rows={3} />
        <button type="submit" class="danger">
          {t('members.resign.submit')}
        </button>
      </form>
    </section>
  );
}

export type ApplyBlock = 'unverified' | 'member' | null;

export function ApplyPage(props: {
  c: Context<AppEnv>;
  state: FormState;
  types: TypeWithFee[];
  year: number;
  statutes: AssociationDocument | null;
  aup: AssociationDocument | null;
  block: ApplyBlock;
}) {
  const { c, state, statutes, aup } = props;
  const t = c.get('t');
  if (props.block) {
    return (
      <section>
        <h1>{t('members.apply.title')}</h1>
        <p class="warn" role="status">
          {props.block === 'unverified' ? t('members.my.unverified') : t('members.apply.already')}
        </p>
        <p>
          <a href="/membership">{t('members.my.title')}</a>
        </p>
      </section>
    );
  }
  return (
    <section>
      <h1>{t('members.apply.title')}</h1>
      <p>{t('members.apply.intro')}</p>
      <FormErrors state={state} />
      <form method="post" action="/membership/apply" class="stack">
        <Csrf c={c} />
        {statutes ? <input type="hidden" name="statutes_id" value={statutes.id} /> : null}
        {aup ? <input type="hidden" name="aup_id" value={aup.id} /> : null}
        <TypeChoice c={c} state={state} types={props.types} year={props.year} />
        <fieldset class="card">
          <legend>{t('members.apply.contact')}</legend>
          <ContactFields c={c} state={state} />
        </fieldset>
        <fieldset class="card">
          <legend>{t('members.field.organisation_legend')}</legend>
          <OrganisationFields c={c} state={state} />
        </fieldset>
        <TextArea
          state={state}
          name="note"
          label={t('members.apply.note')}
          hint={t('members.apply.note_hint')}
        />
        <fieldset class="card">
          <legend>{t('members.apply.acceptance')}</legend>
          <Checkbox
            state={state}
            name="accept_statutes"
            label={
              <>
                {t('members.apply.accept_statutes')} (
                <a href="/documents/statutes">
                  {t('members.apply.read_document', { version: statutes?.version ?? '–' })}
                </a>
                )
              </>
            }
          />
          <Checkbox
            state={state}
            name="accept_aup"
            label={
              <>
                {t('members.apply.accept_aup')} (
                <a href="/documents/aup">
                  {t('members.apply.read_document', { version: aup?.version ?? '–' })}
                </a>
                )
              </>
            }
          />
        </fieldset>
        <button type="submit">{t('members.apply.submit')}</button>
      </form>
    </section>
  );
}

function TypeChoice(props: {
  c: Context<AppEnv>;
  state: FormState;
  types: TypeWithFee[];
  year: number;
}) {
  const { c, state } = props;
  const t = c.get('t');
  const error = state.errors['type'];
  const selected = state.values['type'] ?? '';
  return (
    <fieldset
      id="f-type"
      class={error ? 'card field invalid' : 'card field'}
      aria-describedby={error ? 'f-type-error' : undefined}
    >
      <legend>{t('members.apply.type')}</legend>
      {props.types.map((type) => (
        <div class="checkbox">
          <input
            type="radio"
            id={`f-type-${type.code}`}
            name="type"
            value={type.code}
            checked={selected === type.code}
            required
            aria-invalid={error ? 'true' : undefined}
          />
          <label for={`f-type-${type.code}`}>
            {typeLabel(c, type)} –{' '}
            {t('members.apply.fee', {
              year: yearLabel(c, props.year),
              amount: money(c, type.feeOre),
            })}
          </label>
        </div>
      ))}
      {error ? (
        <p class="error" id="f-type-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Contact fields shared by the application and the board's edit form. */
export function ContactFields(props: {
  c: Context<AppEnv>;
  state: FormState;
  addressRequired?: boolean;
}) {
  const { c, state } = props;
  const t = c.get('t');
  const required = props.addressRequired ?? true;
  return (
    <>
      <Field
        state={state}
        name="name"
        label={t('members.field.name')}
        hint={t('members.field.name_hint')}
        autocomplete="name"
        required
      />
      <Field
        state={state}
        name="phone"
        type="tel"
        label={t('members.field.phone')}
        autocomplete="tel"
        inputmode="tel"
      />
      <Field
        state={state}
        name="address_line"
        label={t('members.field.address_line')}
        autocomplete="street-address"
        required={required}
      />
      <Field
        state={state}
        name="postal_code"
        label={t('members.field.postal_code')}
        autocomplete="postal-code"
        inputmode="numeric"
        required={required}
      />
      <Field
        state={state}
        name="city"
        label={t('members.field.city')}
        autocomplete="address-level2"
        required={required}
      />
      <Field
        state={state}
        name="country"
        label={t('members.field.country')}
        autocomplete="country-name"
      />
    </>
  );
}

export function OrganisationFields(props: { c: Context<AppEnv>; state: FormState }) {
  const { c, state } = props;
  const t = c.get('t');
  return (
    <>
      <Field
        state={state}
        name="org_number"
        label={t('members.field.org_number')}
        hint={t('members.field.org_number_hint')}
        inputmode="numeric"
      />
      <Field state={state} name="contact_person" label={t('members.field.contact_person')} />
    </>
  );
}
