import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { AppError, CommonErrors } from '../../app/errors.js';
import { zodFieldErrors } from '../../app/forms.js';
import type { MessageKey } from '../../app/i18n.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { listMembershipTypes } from './members.repository.js';
import { RegisterErrors } from './register.errors.js';
import { importModeSchema, registerQuerySchema, type RegisterQuery } from './register.schemas.js';
import { importMembers, type ImportReport } from './register-import.usecases.js';
import { exportMembers, listMembers } from './register.usecases.js';
import { ImportPage, RegisterListPage } from './register.views.js';

type C = Context<AppEnv>;

function association(c: C) {
  const a = c.get('association');
  if (!a) throw CommonErrors.setupRequired();
  return a;
}

/** A query the list cannot run: the page again, with what was wrong, and no members. */
async function badQuery(c: C, errors: string[]) {
  const raw = c.req.query();
  const query: RegisterQuery = registerQuerySchema.parse({ sort: raw['sort'], dir: raw['dir'] });
  query.q = raw['q']?.slice(0, 200) ?? null;
  const types = await listMembershipTypes(c.get('ctx').db);
  return page(c, {
    title: c.get('t')('register.list.title'),
    status: 400,
    body: (
      <RegisterListPage
        c={c}
        query={query}
        result={{ rows: [], total: 0, capped: false, numberMatch: null, page: 1, pages: 1, types }}
        errors={errors}
      />
    ),
  });
}

const FILTER_LABELS: Record<string, MessageKey> = {
  q: 'register.list.search',
  status: 'register.list.status',
  type: 'register.list.type',
  office: 'register.list.office',
  paid: 'register.list.paid',
};

/** "Status: Choose one of the options." for each query parameter that was refused. */
function queryErrors(c: C, error: Parameters<typeof zodFieldErrors>[0]): string[] {
  const t = c.get('t');
  return Object.entries(zodFieldErrors(error, t)).map(([field, message]) => {
    const label = FILTER_LABELS[field];
    return `${label ? t(label) : field}: ${message}`;
  });
}

function renderImport(c: C, opts: { error?: string; report?: ImportReport }, status = 200) {
  return page(c, {
    title: c.get('t')('register.import.title'),
    status,
    body: <ImportPage c={c} error={opts.error ?? null} report={opts.report ?? null} />,
  });
}

export function registerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/members', requirePermission('members.read'), async (c) => {
    const parsed = registerQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return badQuery(c, queryErrors(c, parsed.error));
    try {
      const result = await listMembers(c.get('ctx'), {
        association: association(c),
        query: parsed.data,
      });
      return page(c, {
        title: c.get('t')('register.list.title'),
        body: <RegisterListPage c={c} query={parsed.data} result={result} errors={[]} />,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === RegisterErrors.unknownType.code)
        return badQuery(c, [err.message_(c.get('locale'))]);
      throw err;
    }
  });

  app.get('/members/export.csv', requirePermission('members.export'), async (c) => {
    const parsed = registerQuerySchema.safeParse(c.req.query());
    if (!parsed.success) throw parsed.error;
    const a = association(c);
    const { chunks } = await exportMembers(c.get('ctx'), {
      actor: actorOf(c),
      association: a,
      query: parsed.data,
    });
    const logger = c.get('ctx').logger;
    const encoder = new TextEncoder();
    // Pulled a chunk at a time: the response never holds the whole register.
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value));
        } catch (err) {
          logger.error({ err }, 'member export failed');
          controller.error(err);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    const today = todayIn(a.timeZone, c.get('ctx').clock.now());
    return c.body(stream, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="members-${today}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  app.get('/members/import', requirePermission('members.import'), (c) => renderImport(c, {}));

  app.post('/members/import', requirePermission('members.import'), async (c) => {
    const body = await c.req.parseBody();
    const file = body['file'];
    const mode = importModeSchema.parse(
      typeof body['mode'] === 'string' ? body['mode'] : undefined,
    );
    const locale = c.get('locale');
    if (file === undefined || typeof file === 'string')
      return renderImport(c, { error: RegisterErrors.noFile().message_(locale) }, 400);
    try {
      const report = await importMembers(c.get('ctx'), {
        actor: actorOf(c),
        bytes: new Uint8Array(await file.arrayBuffer()),
        commit: mode === 'commit',
        fileName: file.name,
      });
      const refused = mode === 'commit' && !report.committed;
      return renderImport(c, { report }, refused ? 422 : 200);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return renderImport(c, { error: err.message_(locale) }, err.status);
      throw err;
    }
  });

  return app;
}
