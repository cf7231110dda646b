import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { formatDate, formatInstant } from '../../app/dates.js';
import { Csrf } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { formatOre } from '../../app/money.js';
import type { ImportReport, ImportRow } from './bank-import.usecases.js';
import type { BankImport } from './bank-imports.repository.js';

type C = Context<AppEnv>;

const kr = (c: C, ore: number) => `kr ${formatOre(ore, c.get('locale'))}`;

function timeZoneOf(c: C): string {
  return c.get('association')?.timeZone ?? 'Europe/Oslo';
}

/** The upload form: a dry run ("check") by default; `checked` makes it the commit form. */
function UploadForm(props: { c: C; error: string | null; checked?: string }) {
  const { c, error } = props;
  const t = c.get('t');
  return (
    <form
      method="post"
      action="/billing/payments/import"
      enctype="multipart/form-data"
      class="stack"
    >
      <Csrf c={c} />
      {props.checked ? <input type="hidden" name="checked_sha256" value={props.checked} /> : null}
      <div class={error ? 'field invalid' : 'field'}>
        <label for="f-file">{t('payments.import_file')}</label>
        <p class="hint" id="f-file-hint">
          {props.checked ? t('payments.import_commit_hint') : t('payments.import_file_hint')}
        </p>
        <input
          id="f-file"
          type="file"
          name="file"
          accept=".txt,.xml,.dat,text/plain,application/xml,text/xml"
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'f-file-hint f-file-error' : 'f-file-hint'}
        />
        {error ? (
          <p class="error" id="f-file-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div class="actions">
        {props.checked ? (
          <button type="submit" name="mode" value="commit">
            {t('payments.import_commit')}
          </button>
        ) : (
          <button type="submit" name="mode" value="check">
            {t('payments.import_check')}
          </button>
        )}
      </div>
    </form>
  );
}

/** The bank files page: upload (for the treasurer) and the files imported so far. */
export function ImportsPage(props: { c: C; imports: BankImport[]; error?: string | null }) {
  const { c, imports } = props;
  const t = c.get('t');
  const canManage = !!c.get('user')?.permissions.has('billing.manage');
  return (
    <section>
      <p class="actions">
        <a href="/billing/payments">{t('payments.nav_all')}</a>
        <a href="/billing/payments?status=unmatched">{t('payments.import_view_queue')}</a>
      </p>
      <h1>{t('payments.imports_title')}</h1>
      <p>{t('payments.imports_intro')}</p>
      {canManage ? <UploadForm c={c} error={props.error ?? null} /> : null}
      <h2>{t('payments.imports_previous')}</h2>
      {imports.length === 0 ? (
        <p>{t('payments.imports_empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('payments.imports_col_at')}</th>
                <th scope="col">{t('payments.imports_col_file')}</th>
                <th scope="col">{t('payments.imports_col_format')}</th>
                <th scope="col" class="optional">
                  {t('payments.imports_col_file_id')}
                </th>
                <th scope="col">{t('payments.imports_col_count')}</th>
                <th scope="col">{t('payments.imports_col_total')}</th>
                <th scope="col">{t('payments.imports_col_matched')}</th>
                <th scope="col">{t('payments.imports_col_unmatched')}</th>
                <th scope="col" class="optional">
                  {t('payments.imports_col_duplicates')}
                </th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => (
                <tr>
                  <td>{formatInstant(i.importedAt, timeZoneOf(c), c.get('locale'))}</td>
                  <td>{i.filename ?? ''}</td>
                  <td>{i.format}</td>
                  <td class="optional">{i.fileId ?? ''}</td>
                  <td>{i.transactionCount}</td>
                  <td>{kr(c, i.totalOre)}</td>
                  <td>{i.matchedCount}</td>
                  <td>{i.unmatchedCount}</td>
                  <td class="optional">{i.duplicateCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ImportRowView(props: { c: C; r: ImportRow }) {
  const { c, r } = props;
  const t = c.get('t');
  const result =
    r.outcome === 'matched'
      ? r.rule
        ? t(`payments.rule.${r.rule}` as MessageKey)
        : ''
      : r.outcome === 'unmatched' && r.reason
        ? t(`payments.reason.${r.reason}` as MessageKey)
        : '';
  return (
    <tr>
      <td class="optional">
        <code>{r.location}</code>
      </td>
      <td>{formatDate(r.bookingDate, c.get('locale'))}</td>
      <td>{kr(c, r.kind === 'reversal' ? -r.amountOre : r.amountOre)}</td>
      <td class="optional">{r.kid ?? r.message ?? ''}</td>
      <td>{r.payerName ?? ''}</td>
      <td>
        <span
          class={`badge ${r.outcome === 'matched' ? 'active' : r.outcome === 'unmatched' ? 'applied' : ''}`}
        >
          {t(`payments.outcome.${r.outcome}` as MessageKey)}
        </span>{' '}
        {result}
      </td>
      <td>{r.memberNumber !== null ? `${r.memberNumber} ${r.memberName ?? ''}` : ''}</td>
      <td>{r.invoiceNumber ?? ''}</td>
      <td>{r.toInvoiceOre ? kr(c, r.toInvoiceOre) : ''}</td>
      <td>{r.toCreditOre ? kr(c, r.toCreditOre) : ''}</td>
    </tr>
  );
}

/** What a check (dry run) found, or what an import did. */
export function ImportReportPage(props: { c: C; report: ImportReport }) {
  const { c, report } = props;
  const t = c.get('t');
  const s = report.summary;
  const title =
    report.dryRun || report.alreadyImported
      ? 'payments.import_dry_title'
      : 'payments.import_done_title';
  const facts: [MessageKey, string][] = s
    ? [
        ['payments.summary_format', s.format],
        ['payments.summary_file_id', s.fileId],
        ...(s.createdAt
          ? ([['payments.summary_created', s.createdAt]] as [MessageKey, string][])
          : []),
        ['payments.summary_count', String(s.count)],
        ['payments.summary_total', kr(c, s.totalOre)],
        ['payments.summary_credits', `${s.creditCount} · ${kr(c, s.creditOre)}`],
        ['payments.summary_reversals', `${s.reversalCount} · ${kr(c, s.reversalOre)}`],
        ['payments.summary_skipped', String(s.skippedEntries)],
        ['payments.summary_checks', t('payments.summary_checks_ok')],
        // In groups of 16, so that it wraps on a phone.
        ['payments.summary_sha', (report.sha256.match(/.{1,16}/g) ?? []).join(' ')],
      ]
    : [];
  const results: [MessageKey, string][] = [
    ['payments.result_matched', String(report.matched)],
    ['payments.result_unmatched', String(report.unmatched)],
    ['payments.result_duplicates', String(report.duplicates)],
    ['payments.result_reversed', String(report.reversed)],
    [
      'payments.result_credit',
      t('payments.result_credit_value', {
        count: report.creditCount,
        amount: kr(c, report.creditOre),
      }),
    ],
    ['payments.result_settled', String(report.invoicesSettled)],
    ['payments.result_periods', String(report.periodsPaid)],
    ['payments.result_reactivated', String(report.reactivated)],
  ];
  return (
    <section>
      <p>
        <a href="/billing/imports">{t('payments.import_back')}</a>
      </p>
      <h1>{t(title)}</h1>
      {report.alreadyImported ? (
        <p class="warn" role="status">
          {t('payments.import_already', {
            at: formatInstant(report.alreadyImported.importedAt, timeZoneOf(c), c.get('locale')),
          })}
        </p>
      ) : (
        <p role="status">
          {t(report.dryRun ? 'payments.import_dry_intro' : 'payments.import_done_intro')}
        </p>
      )}
      {facts.length > 0 ? (
        <dl class="facts">
          {facts.map(([k, v]) => (
            <>
              <dt>{t(k)}</dt>
              <dd>{v}</dd>
            </>
          ))}
        </dl>
      ) : null}
      {report.alreadyImported ? null : (
        <>
          <dl class="facts">
            {results.map(([k, v]) => (
              <>
                <dt>{t(k)}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
          {report.dryRun ? <UploadForm c={c} error={null} checked={report.sha256} /> : null}
          {!report.dryRun && report.unmatched > 0 ? (
            <p>
              <a href="/billing/payments?status=unmatched">{t('payments.import_view_queue')}</a>
            </p>
          ) : null}
          {report.rows.length > 0 ? (
            <>
              <h2>{t('payments.import_rows', { count: report.rows.length })}</h2>
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col" class="optional">
                        {t('payments.import_col_location')}
                      </th>
                      <th scope="col">{t('payments.col_date')}</th>
                      <th scope="col">{t('payments.col_amount')}</th>
                      <th scope="col" class="optional">
                        {t('payments.col_reference')}
                      </th>
                      <th scope="col">{t('payments.col_payer')}</th>
                      <th scope="col">{t('payments.import_col_outcome')}</th>
                      <th scope="col">{t('payments.col_member')}</th>
                      <th scope="col">{t('payments.col_invoice')}</th>
                      <th scope="col">{t('payments.col_to_invoice')}</th>
                      <th scope="col">{t('payments.col_to_credit')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {report.rows.map((r) => (
                      <ImportRowView c={c} r={r} />
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
