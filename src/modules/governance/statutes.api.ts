import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import type { ApiRegistry } from '../api/openapi.js';
import { AssociationErrors } from '../association/association.errors.js';
import {
  findCurrentDocument,
  findDocument,
  listDocumentVersions,
  type AssociationDocument,
  type DocumentKind,
} from '../association/association.repository.js';
import { documentBody } from './proposals.usecases.js';
import { diffStats, diffText } from './statutes-diff.js';
import { adoptingMeetingId } from './statutes.usecases.js';

// The statutes and the Acceptable Usage Policy under /api/v1, public as their pages are:
// every version, each dated with the meeting that adopted it, and the changes between two.

type C = Context<AppEnv>;

const TAG = 'governance';

const versionInfo = z.object({
  kind: z.enum(['statutes', 'aup']),
  version: z.number().int(),
  title: z.string(),
  adoptedOn: z.string().nullable(),
  adoptedNote: z.string().nullable(),
  publishedAt: z.string(),
});
const documentResponse = versionInfo.extend({
  bodyNb: z.string(),
  bodyEn: z.string().nullable(),
  adoptedAtMeetingId: z.string().nullable(),
});

const versionNumber = z.coerce.number().int().min(1).max(1_000_000);
const changesQuery = z.object({
  /** The newer version; the current one when left out. */
  to: versionNumber.optional(),
  /** The older version; the one before `to` when left out. */
  from: versionNumber.optional(),
});

function kindOf(c: C): DocumentKind {
  const kind = c.req.param('kind');
  if (kind !== 'statutes' && kind !== 'aup') throw CommonErrors.notFound();
  return kind;
}

function presentInfo(d: AssociationDocument): z.infer<typeof versionInfo> {
  return {
    kind: d.kind,
    version: d.version,
    title: d.title,
    adoptedOn: d.adoptedOn,
    adoptedNote: d.adoptedNote,
    publishedAt: d.publishedAt,
  };
}

async function presentDocument(c: C, d: AssociationDocument) {
  return {
    ...presentInfo(d),
    bodyNb: d.bodyNb,
    bodyEn: d.bodyEn,
    adoptedAtMeetingId: await adoptingMeetingId(c.get('ctx').db, d.id),
  };
}

export function registerStatutesApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/documents/:kind',
      summary: 'The current version of the statutes (kind statutes) or the AUP (kind aup). Public',
      tag: TAG,
      permission: null,
      auth: 'optional',
      response: documentResponse,
    },
    async (c) => {
      const doc = await findCurrentDocument(c.get('ctx').db, kindOf(c));
      if (!doc) throw AssociationErrors.documentNotFound();
      return c.json(await presentDocument(c, doc));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/documents/:kind/versions',
      summary: 'Every version, newest first, each with its adoption date. Public',
      tag: TAG,
      permission: null,
      auth: 'optional',
      response: z.array(versionInfo),
    },
    async (c) => c.json((await listDocumentVersions(c.get('ctx').db, kindOf(c))).map(presentInfo)),
  );

  api.route(
    {
      method: 'get',
      path: '/documents/:kind/versions/:version',
      summary: 'One version with its text. Public',
      tag: TAG,
      permission: null,
      auth: 'optional',
      response: documentResponse,
    },
    async (c) => {
      const version = versionNumber.safeParse(c.req.param('version'));
      if (!version.success) throw AssociationErrors.documentNotFound();
      const doc = await findDocument(c.get('ctx').db, kindOf(c), version.data);
      if (!doc) throw AssociationErrors.documentNotFound();
      return c.json(await presentDocument(c, doc));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/documents/:kind/changes',
      summary:
        'What changed between two versions (to, default the current one; from, default the one before), as equal/insert/delete parts, in English when both versions have it and Accept-Language asks. The latest change is public; older ones are for members and the board, as on the page',
      tag: TAG,
      permission: null,
      auth: 'optional',
      query: changesQuery,
      response: z.object({
        kind: z.enum(['statutes', 'aup']),
        from: versionInfo,
        to: versionInfo,
        locale: z.enum(['nb', 'en']),
        inserted: z.number().int(),
        deleted: z.number().int(),
        parts: z.array(z.object({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() })),
      }),
    },
    async (c, { query }) => {
      const { db } = c.get('ctx');
      const kind = kindOf(c);
      const current = await findCurrentDocument(db, kind);
      if (!current) throw AssociationErrors.documentNotFound();
      const to = query.to ?? current.version;
      const from = query.from ?? to - 1;
      const [toDoc, fromDoc] = await Promise.all([
        findDocument(db, kind, to),
        findDocument(db, kind, from),
      ]);
      if (!toDoc || !fromDoc) throw AssociationErrors.documentNotFound();
      // The page's rule: the public sees the latest change; members and the board all history.
      const user = c.get('user');
      const seesHistory = !!user?.memberId || !!user?.permissions.has('documents.manage');
      if (!(to === current.version && from === to - 1) && !seesHistory) {
        if (!user) throw CommonErrors.unauthenticated();
        throw CommonErrors.forbidden();
      }
      // In the reader's language (Accept-Language or ?lang=) when both versions have it.
      const locale = c.get('locale') === 'en' && fromDoc.bodyEn && toDoc.bodyEn ? 'en' : 'nb';
      const parts = diffText(documentBody(fromDoc, locale), documentBody(toDoc, locale));
      return c.json({
        kind,
        from: presentInfo(fromDoc),
        to: presentInfo(toDoc),
        locale,
        ...diffStats(parts),
        parts,
      });
    },
  );
}
