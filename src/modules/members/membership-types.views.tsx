import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, type FormState } from '../../app/forms.js';
import { money, ScopedErrors, typeLabel, yearLabel } from './members.components.js';
import type { MembershipType } from './members.repository.js';

/** An amount as people type it back in: no thousands separators, which parseKroner refuses. */
function plainKroner(ore: number, locale: 'nb' | 'en'): string {
  const kr = Math.floor(ore / 100);
  const rest = ore % 100;
  return rest === 0
    ? String(kr)
    : `${kr}${locale === 'nb' ? ',' : '.'}${String(rest).padStart(2, '0')}`;
}

export type FeeRow = { type: MembershipType; fees: [number | null, number | null] };
/** A failed fee form: which type it was for, and the form as sent. */
export type FeeFormError = { typeId: string; state: FormState };

export function MembershipTypesPage(props: {
  c: Context<AppEnv>;
  rows: FeeRow[];
  years: [number, number];
  error: FeeFormError | null;
}) {
  const { c, years, error } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('members.types.title')}</h1>
      <p>{t('members.types.intro')}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('members.types.type')}</th>
              <th scope="col">{t('members.types.state')}</th>
              <th scope="col">{t('members.types.fee_year', { year: yearLabel(c, years[0]) })}</th>
              <th scope="col">{t('members.types.fee_year', { year: yearLabel(c, years[1]) })}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map(({ type, fees }) => (
              <tr>
                <td>
                  <a href={`#type-${type.code}`}>{typeLabel(c, type)}</a>
                  {type.isOrganisation ? (
                    <span class="muted"> ({t('members.types.organisation')})</span>
                  ) : null}
                </td>
                <td>{type.active ? t('members.types.active') : t('members.types.inactive')}</td>
                <td>{money(c, fees[0])}</td>
                <td>{money(c, fees[1])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.rows.map((row) => (
        <TypeCard
          c={c}
          row={row}
          years={years}
          error={error?.typeId === row.type.id ? error.state : null}
        />
      ))}
    </section>
  );
}

function TypeCard(props: {
  c: Context<AppEnv>;
  row: FeeRow;
  years: [number, number];
  error: FormState | null;
}) {
  const { c, row, years, error } = props;
  const { type } = row;
  const t = c.get('t');
  const locale = c.get('locale');
  const base = `f-${type.code}`;
  const amountError = error?.errors['amount'];
  const yearError = error?.errors['year'];
  const chosenYear = error?.values['year'] ?? String(years[0]);
  const defaultAmount = row.fees[0] === null ? '' : plainKroner(row.fees[0], locale);
  return (
    <article class="card" id={`type-${type.code}`} aria-labelledby={`${base}-heading`}>
      <h2 id={`${base}-heading`}>{typeLabel(c, type)}</h2>
      <ScopedErrors state={error} idOf={(f) => `${base}-${f}`} />
      <form method="post" action={`/admin/membership-types/${type.id}/fee`} class="stack">
        <Csrf c={c} />
        <div class={yearError ? 'field invalid' : 'field'}>
          <label for={`${base}-year`}>{t('members.types.year')}</label>
          <select id={`${base}-year`} name="year" aria-invalid={yearError ? 'true' : undefined}>
            {years.map((y) => (
              <option value={String(y)} selected={chosenYear === String(y)}>
                {yearLabel(c, y)}
              </option>
            ))}
          </select>
          {yearError ? <p class="error">{yearError}</p> : null}
        </div>
        <div class={amountError ? 'field invalid' : 'field'}>
          <label for={`${base}-amount`}>{t('members.types.amount')}</label>
          <p class="hint" id={`${base}-amount-hint`}>
            {t('members.types.amount_hint')}
          </p>
          <input
            id={`${base}-amount`}
            name="amount"
            type="text"
            inputmode="decimal"
            value={error?.values['amount'] ?? defaultAmount}
            required
            aria-invalid={amountError ? 'true' : undefined}
            aria-describedby={
              amountError ? `${base}-amount-error ${base}-amount-hint` : `${base}-amount-hint`
            }
          />
          {amountError ? (
            <p class="error" id={`${base}-amount-error`}>
              {amountError}
            </p>
          ) : null}
        </div>
        <button type="submit">{t('members.types.set_fee')}</button>
      </form>
      <form method="post" action={`/admin/membership-types/${type.id}/active`}>
        <Csrf c={c} />
        <input type="hidden" name="active" value={type.active ? 'false' : 'true'} />
        <button type="submit" class="secondary">
          {type.active ? t('members.types.deactivate') : t('members.types.activate')}
        </button>
      </form>
    </article>
  );
}
