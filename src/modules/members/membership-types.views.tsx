import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { Csrf, type FormState } from '../../app/forms.js';
import { money, ScopedErrors, typeLabel, yearLabel } from './members.components.js';
import type { MembershipType } from './members.repository.js';

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
  const { c, row, error } = props;
  const { type } = row;
  const t = c.get('t');
  const base = `f-${type.code}`;
  return (
    <article class="card" id={`type-${type.code}`} aria-labelledby={`${base}-heading`}>
      <h2 id={`${base}-heading`}>{typeLabel(c, type)}</h2>
      <ScopedErrors state={error} idOf={(f) => `${base}-${f}`} />
      {/* The fee is set component by component (with VAT) in the fee schedule. */}
      <p>
        <a href={`/billing/fees#type-${type.code}`}>{t('invoices.fees.edit_link')}</a>
      </p>
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
