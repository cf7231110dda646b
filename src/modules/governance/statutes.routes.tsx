import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, requireUser } from '../../app/middleware.js';
import {
  findCurrentDocument,
  findDocument,
  listDocumentVersions,
  type DocumentKind,
} from '../association/association.repository.js';
import { AssociationErrors } from '../association/association.errors.js';
import { findMeeting, listMeetings } from './meetings.repository.js';
import { documentVersionSchema } from './meetings.schemas.js';
import { documentBody } from './proposals.usecases.js';
import { diffText } from './statutes-diff.js';
import { adoptingMeetingId, publishDocumentVersion } from './statutes.usecases.js';
import { DocumentChangesPage, NewVersionPage } from './statutes.views.js';

type C = Context<AppEnv>;

function kindOf(c: C): DocumentKind {
  const kind = c.req.param('kind');
  if (kind !== 'statutes' && kind !== 'aup') throw CommonErrors.notFound();
  return kind;
}

/** Members (and the board) read the whole history; the public sees the latest change. */
function seesHistory(c: C): boolean {
  const user = c.get('user');
  return !!user?.memberId || !!user?.permissions.has('documents.manage');
}

export function statutesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // /documents/statutes/3/changes?from=1 — what changed between two versions.
  app.get('/documents/:kind/:version/changes', async (c) => {
    const { db } = c.get('ctx');
    const kind = kindOf(c);
    const version = Number(c.req.param('version'));
    const fromParam = c.req.query('from');
    const from = fromParam ? Number(fromParam) : version - 1;
    if (!Number.isInteger(version) || !Number.isInteger(from)) throw CommonErrors.notFound();
    const [current, toDoc, fromDoc] = await Promise.all([
      findCurrentDocument(db, kind),
      findDocument(db, kind, version),
      findDocument(db, kind, from),
    ]);
    if (!toDoc || !fromDoc || !current) throw AssociationErrors.documentNotFound();
    const isLatestChange = toDoc.version === current.version && from === version - 1;
    if (!isLatestChange && !seesHistory(c)) {
      if (!c.get('user')) return requireUser()(c, () => Promise.resolve());
      throw CommonErrors.forbidden();
    }
    const locale = c.get('locale') === 'en' && fromDoc.bodyEn && toDoc.bodyEn ? 'en' : 'nb';
    const meetingId = await adoptingMeetingId(db, toDoc.id);
    const meeting = meetingId ? await findMeeting(db, meetingId) : null;
    return page(c, {
      title: c.get('t')('governance.diff.title', { from, to: version }),
      body: (
        <DocumentChangesPage
          c={c}
          kind={kind}
          from={fromDoc}
          to={toDoc}
          versions={seesHistory(c) ? await listDocumentVersions(db, kind) : []}
          parts={diffText(documentBody(fromDoc, locale), documentBody(toDoc, locale))}
          adoptedAt={meeting}
          canSeeHistory={seesHistory(c)}
        />
      ),
    });
  });

  const manage = requirePermission('documents.manage');
  const renderNew = async (c: C, state: FormState, status = 200) => {
    const { db } = c.get('ctx');
    const kind = kindOf(c);
    const meetings = (await listMeetings(db, { includeBoard: false })).filter(
      (m) => m.status !== 'cancelled',
    );
    return page(c, {
      title: c.get('t')('governance.version.title'),
      status,
      body: (
        <NewVersionPage
          c={c}
          kind={kind}
          state={state}
          meetings={meetings}
          current={await findCurrentDocument(db, kind)}
        />
      ),
    });
  };

  app.get('/governance/documents/:kind/new', manage, async (c) => {
    const current = await findCurrentDocument(c.get('ctx').db, kindOf(c));
    return renderNew(
      c,
      emptyForm({
        title: current?.title ?? '',
        body_nb: current?.bodyNb ?? '',
        body_en: current?.bodyEn ?? '',
      }),
    );
  });

  app.post('/governance/documents/:kind/new', manage, (c) =>
    handleForm(c, {
      schema: documentVersionSchema,
      render: (state, status) => renderNew(c, state, status),
      run: async (input) => {
        const kind = kindOf(c);
        const doc = await publishDocumentVersion(c.get('ctx'), {
          actor: actorOf(c),
          kind,
          title: input.title,
          bodyNb: input.body_nb,
          bodyEn: input.body_en,
          adoptedOn: input.adopted_on,
          meetingId: input.meeting_id,
          note: input.note,
        });
        return redirectWithFlash(
          c,
          doc.version > 1 ? `/documents/${kind}/${doc.version}/changes` : `/documents/${kind}`,
          'governance.version.done',
        );
      },
    }),
  );

  return app;
}
