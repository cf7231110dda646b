import { Hono } from 'hono';
import { csvStringify as stringify } from '../../app/lazy.js';
import type { AppEnv } from '../../app/context.js';
import { recordAudit } from '../../app/audit.js';
import { todayIn } from '../../app/dates.js';
import { emptyForm, zodFieldErrors } from '../../app/forms.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { auditQuerySchema, filtersFrom } from './audit.filters.js';
import { exportAuditEntries, listAuditEntries, listEntityTypes } from './audit.repository.js';
import { AuditPage } from './audit.views.js';

/** The most rows one CSV export holds; narrow the filters for more. */
export const AUDIT_EXPORT_MAX = 100_000;

/** "2026-07-01 00:30:00" in the association's zone: sortable, and read the same everywhere. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(new Date(iso));
}

/** A spreadsheet would run a cell starting with = + - @ as a formula. */
function guardCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/audit', requirePermission('audit.read'), async (c) => {
    const { db } = c.get('ctx');
    const t = c.get('t');
    const values = c.req.query();
    const entityTypes = await listEntityTypes(db);
    const parsed = auditQuerySchema.safeParse(values);
    if (!parsed.success) {
      return page(c, {
        title: t('audit.title'),
        status: 400,
        body: (
          <AuditPage
            c={c}
            state={{
              values,
              errors: zodFieldErrors(parsed.error, t),
              message: t('form.errors_heading'),
            }}
            query={null}
            entityTypes={entityTypes}
            entries={[]}
            older={null}
            newer={null}
          />
        ),
      });
    }
    const query = parsed.data;
    const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
    const result = await listAuditEntries(db, {
      filters: filtersFrom(query, timeZone),
      before: query.before,
      after: query.after,
    });
    return page(c, {
      title: t('audit.title'),
      body: (
        <AuditPage
          c={c}
          state={emptyForm(values)}
          query={query}
          entityTypes={entityTypes}
          {...result}
        />
      ),
    });
  });

  app.get('/audit/export.csv', requirePermission('audit.read'), async (c) => {
    const ctx = c.get('ctx');
    const query = auditQuerySchema.parse(c.req.query());
    const timeZone = c.get('association')?.timeZone ?? 'Europe/Oslo';
    const filters = filtersFrom(query, timeZone);
    const entries = await exportAuditEntries(ctx.db, filters, AUDIT_EXPORT_MAX);
    const now = ctx.clock.now();
    // Who exported what is itself worth keeping: the log holds personal data.
    await recordAudit(ctx.db, {
      actor: actorOf(c),
      action: 'audit.exported',
      entityType: 'audit_log',
      entityId: null,
      after: { filters, rows: entries.length },
      at: now,
    });
    const header = [
      'id',
      'at_utc',
      'at_local',
      'actor',
      'action',
      'entity_type',
      'entity_id',
      'before',
      'after',
      'ip',
    ];
    const rows = entries.map((e) =>
      [
        e.id,
        e.at,
        localTime(e.at, timeZone),
        e.actorLabel,
        e.action,
        e.entityType,
        e.entityId ?? '',
        e.before === null ? '' : JSON.stringify(e.before),
        e.after === null ? '' : JSON.stringify(e.after),
        e.ip ?? '',
      ].map(guardCell),
    );
    const csv = '\uFEFF' + stringify([header, ...rows], { record_delimiter: '\r\n' });
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${todayIn(timeZone, now)}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
