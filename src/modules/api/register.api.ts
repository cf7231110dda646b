import { z } from 'zod';
import { CommonErrors } from '../../app/errors.js';
import { actorOf } from '../../app/middleware.js';
import { listAuditEntries } from '../audit/audit.repository.js';
import { auditQuerySchema, filtersFrom } from '../audit/audit.filters.js';
import { importMembers } from '../members/register-import.usecases.js';
import { registerQuerySchema } from '../members/register.schemas.js';
import { exportMembers, listMembers } from '../members/register.usecases.js';
import type { ApiRegistry } from './openapi.js';

/** Upper bound for a CSV body sent to the API, as for the page (the path ends /import). */
const csvBody = z.string().min(1);

export function registerRegisterApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/members',
      summary:
        'The register: search (q), filters (status, type, office, paid), sort, dir, page (50 a page)',
      tag: 'members',
      permission: 'members.read',
      query: registerQuerySchema,
    },
    async (c, { query }) => {
      const association = c.get('association');
      if (!association) throw CommonErrors.setupRequired();
      const page = await listMembers(c.get('ctx'), { association, query });
      const codes = new Map(page.types.map((t) => [t.id, t.code]));
      return c.json({
        total: page.total,
        capped: page.capped,
        page: page.page,
        pages: page.pages,
        members: page.rows.map(({ typeId, ...r }) => ({ ...r, type: codes.get(typeId) ?? null })),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/members/export.csv',
      summary: 'The filtered register as CSV (the import columns)',
      tag: 'members',
      permission: 'members.export',
      query: registerQuerySchema,
      produces: 'text/csv',
    },
    async (c, { query }) => {
      const association = c.get('association');
      if (!association) throw CommonErrors.setupRequired();
      const { chunks } = await exportMembers(c.get('ctx'), {
        actor: actorOf(c),
        association,
        query,
      });
      let text = '';
      for await (const chunk of chunks) text += chunk;
      return c.body(text, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="members.csv"',
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/members/import',
      summary:
        'Import members from CSV (docs/members-csv.md). A dry run unless ?commit=true; all rows or none',
      tag: 'members',
      permission: 'members.import',
      query: z.object({ commit: z.enum(['true', 'false']).optional() }),
      body: csvBody,
      consumes: 'text/csv',
    },
    async (c, { query, body }) => {
      const report = await importMembers(c.get('ctx'), {
        actor: actorOf(c),
        bytes: new TextEncoder().encode(body),
        commit: query.commit === 'true',
        fileName: null,
      });
      const refused = report.badRows.length > 0 || report.alreadyImportedAt !== null;
      return c.json(report, refused ? 422 : 200);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/audit',
      summary: 'The audit log, newest first (filters as on the page; before/after are id cursors)',
      tag: 'audit',
      permission: 'audit.read',
      query: auditQuerySchema,
    },
    async (c, { query }) => {
      const tz = c.get('association')?.timeZone ?? 'Europe/Oslo';
      const page = await listAuditEntries(c.get('ctx').db, {
        filters: filtersFrom(query, tz),
        before: query.before,
        after: query.after,
      });
      return c.json(page);
    },
  );
}
