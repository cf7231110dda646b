import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { emptyForm, handleForm, zodFieldErrors, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import { findMemberById } from '../members/members.repository.js';
import { AdHocInvoicePage } from './adhoc-invoice.views.js';
import { issueAdHocInvoice } from './adhoc-invoice.usecases.js';
import { BillingErrors, InvoiceErrors } from './billing.errors.js';
import { renderInvoicePdf } from './invoice-pdf.js';
import {
  adHocInvoiceFormSchema,
  creditSchema,
  invoiceListQuery,
  parseInvoiceNumber,
  type InvoiceListQuery,
} from './invoices.schemas.js';
import {
  creditInvoice,
  invoicePdfFilename,
  listInvoicePage,
  viewInvoice,
} from './invoices.usecases.js';
import { InvoicePage } from './invoice-page.views.js';
import { InvoiceListPage } from './invoices.views.js';

function today(c: Context<AppEnv>): string {
  return todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', c.get('ctx').clock.now());
}

function numberParam(c: Context<AppEnv>, name = 'number'): number {
  const number = parseInvoiceNumber(c.req.param(name));
  if (number === null) throw BillingErrors.invoiceNotFound();
  return number;
}

async function renderInvoice(
  c: Context<AppEnv>,
  number: number,
  creditState: FormState,
  status = 200,
) {
  const detail = await viewInvoice(c.get('ctx').db, { number, user: c.get('user')! });
  const t = c.get('t');
  const kind =
    detail.invoice.kind === 'credit_note'
      ? t('invoices.doc.credit_note')
      : t('invoices.doc.invoice');
  return page(c, {
    title: `${kind} ${number}`,
    status,
    body: <InvoicePage c={c} detail={detail} today={today(c)} creditState={creditState} />,
  });
}

/**
 * /billing/invoices: the list (billing.read), one invoice as a page and as PDF (billing.read
 * or the member it belongs to), and crediting (billing.manage).
 */
export function invoicesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/billing/invoices', requirePermission('billing.read'), async (c) => {
    const values = c.req.query();
    const parsed = invoiceListQuery.safeParse(values);
    const state: FormState = { values, errors: {} };
    const query: Partial<InvoiceListQuery> = parsed.success ? parsed.data : {};
    if (!parsed.success) state.errors = zodFieldErrors(parsed.error, c.get('t'));
    const result = await listInvoicePage(c.get('ctx').db, {
      filter: {
        year: query.year,
        purpose: query.purpose,
        status: query.status,
        memberNumber: query.member,
        number: query.number,
      },
      page: query.page ?? 1,
      today: today(c),
    });
    return page(c, {
      title: c.get('t')('invoices.list.title'),
      status: parsed.success ? 200 : 400,
      body: <InvoiceListPage c={c} state={state} query={query} result={result} today={today(c)} />,
    });
  });

  // A one-off invoice to a member, from the member's page.
  const renderAdHoc = async (c: Context<AppEnv>, state: FormState, status = 200) => {
    const member = await findMemberById(c.get('ctx').db, c.req.query('member') ?? '');
    if (!member) throw InvoiceErrors.memberNotFound();
    return page(c, {
      title: c.get('t')('invoices.adhoc.title', { name: member.name }),
      status,
      body: <AdHocInvoicePage c={c} member={member} state={state} />,
    });
  };

  app.get('/billing/invoices/new', requirePermission('billing.manage'), (c) =>
    renderAdHoc(c, emptyForm()),
  );

  app.post('/billing/invoices/new', requirePermission('billing.manage'), (c) =>
    handleForm(c, {
      schema: adHocInvoiceFormSchema,
      render: (state, status) => renderAdHoc(c, state, status),
      run: async (lines) => {
        const { invoice } = await issueAdHocInvoice(c.get('ctx'), {
          actor: actorOf(c),
          member: { id: c.req.query('member') ?? '' },
          lines,
        });
        return redirectWithFlash(c, `/billing/invoices/${invoice.number}`, 'invoices.adhoc.done');
      },
    }),
  );

  app.get('/billing/invoices/:file{[0-9]+\\.pdf}', requireUser(), async (c) => {
    const number = parseInvoiceNumber(c.req.param('file').replace(/\.pdf$/, ''));
    if (number === null) throw BillingErrors.invoiceNotFound();
    const detail = await viewInvoice(c.get('ctx').db, { number, user: c.get('user')! });
    const locale = c.get('locale');
    const pdf = await renderInvoicePdf(detail, locale);
    return c.body(new Uint8Array(pdf), 200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="${invoicePdfFilename(detail.invoice, locale)}"`,
      'Cache-Control': 'private, no-store',
    });
  });

  app.get('/billing/invoices/:number{[0-9]+}', requireUser(), (c) =>
    renderInvoice(c, numberParam(c), emptyForm()),
  );

  app.post('/billing/invoices/:number{[0-9]+}/credit', requirePermission('billing.manage'), (c) => {
    const number = numberParam(c);
    return handleForm(c, {
      schema: creditSchema,
      render: (state, status) => renderInvoice(c, number, state, status),
      run: async (input) => {
        const { creditNote } = await creditInvoice(c.get('ctx'), {
          actor: actorOf(c),
          number,
          reason: input.reason,
        });
        return redirectWithFlash(
          c,
          `/billing/invoices/${creditNote.number}`,
          'invoices.credit.done',
        );
      },
    });
  });

  return app;
}
