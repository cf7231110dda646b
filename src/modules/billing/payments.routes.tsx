import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { AppError } from '../../app/errors.js';
import {
  emptyForm,
  formValues,
  handleForm,
  zodFieldErrors,
  type FormState,
} from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { PaymentErrors } from './billing.errors.js';
import { importBankFile } from './bank-import.usecases.js';
import { listBankImports } from './bank-imports.repository.js';
import { exportPaymentsCsv, listPaymentsPage, paymentDetail } from './payments-list.usecases.js';
import {
  ignorePaymentSchema,
  importFormSchema,
  matchPaymentSchema,
  paymentFilterSchema,
  registerPaymentSchema,
  reversePaymentSchema,
} from './payments.schemas.js';
import {
  ignorePayment,
  matchQueuedPayment,
  registerPayment,
  registerReversal,
  restorePayment,
} from './payments.usecases.js';
import { NewPaymentPage, PaymentsListPage } from './payments.views.js';
import { PaymentDetailPage } from './payment-detail.views.js';
import { ImportReportPage, ImportsPage } from './payments-import.views.js';

type C = Context<AppEnv>;

const ID = ':id{[0-9a-z]{26}}';
const read = requirePermission('billing.read');
const manage = requirePermission('billing.manage');

/** Where to go after acting on a queued payment: back to a payments page, nowhere else. */
function safeBack(value: string | undefined, fallback: string): string {
  return value && /^\/billing\/payments(?:[/?][^\s]*)?$/.test(value) && !value.startsWith('//')
    ? value
    : fallback;
}

async function sha256Of(file: Blob): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of file.stream()) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

async function renderImports(c: C, error: string | null, status = 200) {
  const imports = await listBankImports(c.get('ctx').db);
  return page(c, {
    title: c.get('t')('payments.imports_title'),
    status,
    body: <ImportsPage c={c} imports={imports} error={error} />,
  });
}

async function renderDetail(c: C, id: string, state?: FormState, status = 200) {
  const detail = await paymentDetail(c.get('ctx'), id);
  return page(c, {
    title: c.get('t')('payments.detail_title'),
    status,
    body: <PaymentDetailPage c={c} detail={detail} {...(state ? { state } : {})} />,
  });
}

export function paymentsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/billing/payments', read, async (c) => {
    const parsed = paymentFilterSchema.safeParse(c.req.query());
    const query = parsed.success ? parsed.data : { page: 1 };
    const errors = parsed.success ? [] : Object.values(zodFieldErrors(parsed.error, c.get('t')));
    const result = await listPaymentsPage(c.get('ctx'), { query });
    return page(c, {
      title: c.get('t')(query.status === 'unmatched' ? 'payments.queue_title' : 'payments.title'),
      status: errors.length > 0 ? 400 : 200,
      body: <PaymentsListPage c={c} query={query} result={result} errors={errors} />,
    });
  });

  app.get('/billing/payments/export.csv', read, async (c) => {
    const parsed = paymentFilterSchema.safeParse(c.req.query());
    if (!parsed.success) throw parsed.error;
    const ctx = c.get('ctx');
    const { chunks } = await exportPaymentsCsv(ctx, { actor: actorOf(c), query: parsed.data });
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          ctx.logger.error({ err }, 'payment export failed');
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const today = todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', ctx.clock.now());
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="payments-${today}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  const renderNew = (c: C, state: FormState, status = 200) =>
    page(c, {
      title: c.get('t')('payments.new_title'),
      status,
      body: <NewPaymentPage c={c} state={state} />,
    });

  app.get('/billing/payments/new', manage, (c) => {
    const today = todayIn(
      c.get('association')?.timeZone ?? 'Europe/Oslo',
      c.get('ctx').clock.now(),
    );
    return renderNew(c, emptyForm({ booking_date: today }));
  });

  app.post('/billing/payments/new', manage, (c) =>
    handleForm(c, {
      schema: registerPaymentSchema,
      render: (state, status) => renderNew(c, state, status),
      run: async (input) => {
        const { payment } = await registerPayment(c.get('ctx'), {
          actor: actorOf(c),
          payment: input,
        });
        return redirectWithFlash(c, `/billing/payments/${payment.id}`, 'payments.flash_registered');
      },
    }),
  );

  app.get(`/billing/payments/${ID}`, read, (c) => renderDetail(c, c.req.param('id')));

  app.post(`/billing/payments/${ID}/match`, manage, async (c) => {
    const id = c.req.param('id');
    const values = await formValues(c);
    return handleForm(c, {
      schema: matchPaymentSchema,
      values,
      render: (state, status) => renderDetail(c, id, state, status),
      run: async (input) => {
        await matchQueuedPayment(c.get('ctx'), { actor: actorOf(c), paymentId: id, match: input });
        return redirectWithFlash(
          c,
          safeBack(values['back'], `/billing/payments/${id}`),
          'payments.flash_matched',
        );
      },
    });
  });

  app.post(`/billing/payments/${ID}/ignore`, manage, async (c) => {
    const id = c.req.param('id');
    const values = await formValues(c);
    return handleForm(c, {
      schema: ignorePaymentSchema,
      values,
      render: (state, status) => renderDetail(c, id, state, status),
      run: async (input) => {
        await ignorePayment(c.get('ctx'), {
          actor: actorOf(c),
          paymentId: id,
          reason: input.reason,
        });
        return redirectWithFlash(
          c,
          safeBack(values['back'], `/billing/payments/${id}`),
          'payments.flash_ignored',
        );
      },
    });
  });

  app.post(`/billing/payments/${ID}/restore`, manage, async (c) => {
    const id = c.req.param('id');
    const values = await formValues(c);
    return handleForm(c, {
      schema: z.object({}),
      values,
      render: (state, status) => renderDetail(c, id, state, status),
      run: async () => {
        await restorePayment(c.get('ctx'), { actor: actorOf(c), paymentId: id });
        return redirectWithFlash(c, `/billing/payments/${id}`, 'payments.flash_restored');
      },
    });
  });

  app.post(`/billing/payments/${ID}/reverse`, manage, async (c) => {
    const id = c.req.param('id');
    const values = await formValues(c);
    return handleForm(c, {
      schema: reversePaymentSchema,
      values,
      render: (state, status) => renderDetail(c, id, state, status),
      run: async (input) => {
        const { reversal } = await registerReversal(c.get('ctx'), {
          actor: actorOf(c),
          paymentId: id,
          reversal: input,
        });
        return redirectWithFlash(c, `/billing/payments/${reversal.id}`, 'payments.flash_reversed');
      },
    });
  });

  app.get('/billing/imports', read, (c) => renderImports(c, null));

  // Ends in /import, so the 128 MB body limit applies. The upload is checked (a dry run)
  // first; the report's form posts the same file again with its hash to import it.
  app.post('/billing/payments/import', manage, async (c) => {
    const locale = c.get('locale');
    const body = await c.req.parseBody();
    const file = body['file'];
    const form = importFormSchema.parse({
      mode: typeof body['mode'] === 'string' ? body['mode'] : undefined,
      checked_sha256:
        typeof body['checked_sha256'] === 'string' ? body['checked_sha256'] : undefined,
    });
    if (file === undefined || typeof file === 'string' || file.size === 0)
      return renderImports(c, PaymentErrors.noFile().message_(locale), 400);
    try {
      const sha256 = await sha256Of(file);
      const commit = form.mode === 'commit' && form.checked_sha256 !== undefined;
      if (commit && form.checked_sha256 !== sha256) throw PaymentErrors.fileChanged();
      const report = await importBankFile(c.get('ctx'), {
        input: file.stream(),
        fileName: file.name || null,
        dryRun: !commit,
        actor: actorOf(c),
        sha256,
      });
      return page(c, {
        title: c.get('t')(
          report.dryRun ? 'payments.import_dry_title' : 'payments.import_done_title',
        ),
        body: <ImportReportPage c={c} report={report} />,
      });
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return renderImports(c, err.message_(locale), err.status);
      throw err;
    }
  });

  app.get('/billing/payments/import', manage, (c) => c.redirect('/billing/imports', 303));

  return app;
}
