import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { emptyForm, handleForm } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission, setSessionCookie } from '../../app/middleware.js';
import { createSession } from '../accounts/accounts.usecases.js';
import { AssociationErrors } from './association.errors.js';
import {
  findCurrentDocument,
  findDocument,
  listDocumentVersions,
  type Association,
} from './association.repository.js';
import { settingsSchema, setupSchema } from './association.schemas.js';
import { runSetup, updateSettings } from './association.usecases.js';
import { DocumentPage, DocumentsIndex, HomePage, SetupPage } from './association.views.js';
import { SettingsPage } from './settings.views.js';

function associationValues(a: Association): Record<string, string> {
  return {
    name: a.name,
    org_number: a.orgNumber ?? '',
    address_line: a.addressLine ?? '',
    postal_code: a.postalCode ?? '',
    city: a.city ?? '',
    email: a.email ?? '',
    year_start_month: String(a.yearStartMonth),
    time_zone: a.timeZone,
    default_locale: a.defaultLocale,
    ...(a.vatRegistered ? { vat_registered: 'on' } : {}),
    ...(a.requireApproval ? { require_approval: 'on' } : {}),
  };
}

export function associationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Setup: open only while no association exists.
  app.get('/setup', (c) => {
    if (c.get('association')) return c.redirect('/', 303);
    return page(c, {
      title: c.get('t')('association.setup.title'),
      body: <SetupPage c={c} state={emptyForm()} />,
    });
  });
  app.post('/setup', async (c) => {
    if (c.get('association')) throw AssociationErrors.alreadySetUp();
    const ctx = c.get('ctx');
    return handleForm(c, {
      schema: setupSchema,
      render: (state, status) =>
        page(c, {
          title: c.get('t')('association.setup.title'),
          body: <SetupPage c={c} state={state} />,
          status,
        }),
      run: async (input) => {
        const { userId } = await runSetup(ctx, input);
        const session = await createSession(ctx, {
          userId,
          ip: c.get('ip'),
          userAgent: c.req.header('user-agent') ?? null,
        });
        setSessionCookie(c, session.token, session.expiresAt);
        return redirectWithFlash(c, '/', 'association.setup.done');
      },
    });
  });

  app.get('/', (c) => page(c, { title: c.get('t')('nav.home'), body: <HomePage c={c} /> }));

  app.get('/documents', async (c) => {
    const { db } = c.get('ctx');
    const [statutes, aup] = await Promise.all([
      findCurrentDocument(db, 'statutes'),
      findCurrentDocument(db, 'aup'),
    ]);
    return page(c, {
      title: c.get('t')('association.documents.title'),
      body: <DocumentsIndex c={c} statutes={statutes} aup={aup} />,
    });
  });
  app.get('/documents/:kind/:version?', async (c) => {
    const { db } = c.get('ctx');
    const kind = c.req.param('kind');
    if (kind !== 'statutes' && kind !== 'aup') throw CommonErrors.notFound();
    const versionParam = c.req.param('version');
    const version = versionParam === undefined ? null : Number(versionParam);
    if (version !== null && !Number.isInteger(version)) throw CommonErrors.notFound();
    const doc =
      version === null
        ? await findCurrentDocument(db, kind)
        : await findDocument(db, kind, version);
    if (!doc) throw AssociationErrors.documentNotFound();
    const versions = await listDocumentVersions(db, kind);
    return page(c, {
      title: doc.title,
      body: <DocumentPage c={c} doc={doc} versions={versions} />,
    });
  });

  app.get('/admin/settings', requirePermission('settings.manage'), (c) => {
    const association = c.get('association');
    if (!association) throw CommonErrors.setupRequired();
    return page(c, {
      title: c.get('t')('association.settings.title'),
      body: <SettingsPage c={c} state={emptyForm(associationValues(association))} />,
    });
  });
  app.post('/admin/settings', requirePermission('settings.manage'), async (c) => {
    const ctx = c.get('ctx');
    return handleForm(c, {
      schema: settingsSchema,
      render: (state, status) =>
        page(c, {
          title: c.get('t')('association.settings.title'),
          body: <SettingsPage c={c} state={state} />,
          status,
        }),
      run: async (input) => {
        await updateSettings(ctx, {
          actor: actorOf(c),
          association: {
            name: input.name,
            orgNumber: input.org_number,
            addressLine: input.address_line,
            postalCode: input.postal_code,
            city: input.city,
            email: input.email,
            yearStartMonth: input.year_start_month,
            timeZone: input.time_zone,
            defaultLocale: input.default_locale,
            vatRegistered: input.vat_registered,
            requireApproval: input.require_approval,
          },
        });
        return redirectWithFlash(c, '/admin/settings', 'flash.saved');
      },
    });
  });

  return app;
}
