import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import type { AppError } from '../../app/errors.js';
import { CommonErrors } from '../../app/errors.js';
import { Csrf } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import { secretBox } from '../../app/secret-box.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../sso/webhooks.js';
import { ReportErrors } from './reports.errors.js';
import { recordServiceReport } from './reports.usecases.js';
import {
  MASTODON_SIGNATURE_HEADER,
  mapGenericReport,
  mapMastodonReport,
  verifyGeneric,
  verifyMastodon,
  type IncomingReport,
} from './webhooks-in.js';
import { removeInboundSecret, rotateInboundSecret } from './webhooks-in.usecases.js';

type C = Context<AppEnv>;

/** Errors of the hooks are JSON, whatever the caller accepts: services read them, not people. */
function fail(c: C, err: AppError) {
  return c.json({ error: { code: err.code, message: err.message_('en') } }, err.status as 400);
}

async function inboundSecretOf(
  c: C,
  slug: string,
): Promise<{ service: { id: string; slug: string }; secret: string } | null> {
  const ctx = c.get('ctx');
  const row = await ctx.db
    .selectFrom('services')
    .select(['id', 'slug', 'inbound_secret_enc'])
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!row?.inbound_secret_enc) return null;
  return {
    service: { id: row.id, slug: row.slug },
    secret: secretBox(ctx.secret).open(row.inbound_secret_enc),
  };
}

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    return { ok: false };
  }
}

async function record(
  c: C,
  opts: {
    service: { id: string; slug: string };
    source: 'mastodon' | 'webhook';
    report: IncomingReport;
  },
) {
  const { reportId, number, created } = await recordServiceReport(c.get('ctx'), {
    service: opts.service,
    source: opts.source,
    ...opts.report,
  });
  // A replay is answered 200 (so the service stops retrying) and records nothing.
  return created
    ? c.json({ status: 'recorded', report: { id: reportId, number } }, 202)
    : c.json({ status: 'duplicate', report: { id: reportId, number } }, 200);
}

export function webhooksInRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Mastodon: Administration → Webhooks, event report.created, this URL and the secret.
  app.post('/hooks/services/:slug/mastodon', async (c) => {
    const body = await c.req.text();
    const configured = await inboundSecretOf(c, c.req.param('slug'));
    if (!configured) return fail(c, ReportErrors.webhookNotConfigured());
    const signature = c.req.header(MASTODON_SIGNATURE_HEADER);
    if (!verifyMastodon({ secret: configured.secret, body, signature }))
      return fail(c, ReportErrors.webhookUnsigned());
    const json = parseJson(body);
    if (!json.ok) return fail(c, CommonErrors.invalidJson());
    const mapped = mapMastodonReport(json.value);
    if (!mapped.ok) {
      if ('ignored' in mapped) return c.json({ status: 'ignored' }, 202);
      return fail(c, ReportErrors.webhookContent({ fields: mapped.missing.join(', ') }));
    }
    return record(c, { service: configured.service, source: 'mastodon', report: mapped.report });
  });

  // Any other service, signed like Allmenning's own webhooks.
  app.post('/hooks/services/:slug/report', async (c) => {
    const body = await c.req.text();
    const configured = await inboundSecretOf(c, c.req.param('slug'));
    if (!configured) return fail(c, ReportErrors.webhookNotConfigured());
    const verdict = verifyGeneric({
      secret: configured.secret,
      body,
      timestamp: c.req.header(TIMESTAMP_HEADER),
      signature: c.req.header(SIGNATURE_HEADER),
      now: c.get('ctx').clock.now(),
    });
    if (verdict === 'stale') return fail(c, ReportErrors.webhookStale());
    if (verdict === 'signature') return fail(c, ReportErrors.webhookUnsigned());
    const json = parseJson(body);
    if (!json.ok) return fail(c, CommonErrors.invalidJson());
    const mapped = mapGenericReport(json.value);
    if (!mapped.ok)
      return fail(c, ReportErrors.webhookContent({ fields: mapped.missing.join(', ') }));
    return record(c, { service: configured.service, source: 'webhook', report: mapped.report });
  });

  // --- the admin sets the secret the service signs its reports with ------------------

  const manage = requirePermission('services.manage');

  async function serviceOf(c: C) {
    const row = await c
      .get('ctx')
      .db.selectFrom('services')
      .select(['id', 'slug', 'name', 'software'])
      .select((eb) => eb('inbound_secret_enc', 'is not', null).as('has_secret'))
      .where('id', '=', c.req.param('id') ?? '')
      .executeTakeFirst();
    if (!row) throw CommonErrors.notFound();
    return { ...row, hasSecret: !!row.has_secret };
  }

  const renderSecretPage = async (c: C, secret: string | null) => {
    const t = c.get('t');
    const service = await serviceOf(c);
    const base = c.get('ctx').config.baseUrl.replace(/\/$/, '');
    const path = service.software === 'mastodon' ? 'mastodon' : 'report';
    const url = `${base}/hooks/services/${service.slug}/${path}`;
    const action = `/admin/services/${service.id}/inbound-secret`;
    return page(c, {
      title: t('moderation.inbound.title', { name: service.name }),
      body: (
        <section>
          <h1>{t('moderation.inbound.title', { name: service.name })}</h1>
          <p>{t('moderation.inbound.intro')}</p>
          <dl class="facts">
            <dt>{t('moderation.inbound.url')}</dt>
            <dd>
              <code>{url}</code>
            </dd>
            <dt>{t('moderation.inbound.status')}</dt>
            <dd>
              {service.hasSecret ? t('moderation.inbound.set') : t('moderation.inbound.unset')}
            </dd>
          </dl>
          {service.software === 'mastodon' ? (
            <p class="hint">{t('moderation.inbound.mastodon_hint')}</p>
          ) : (
            <p class="hint">{t('moderation.inbound.generic_hint')}</p>
          )}
          {secret ? (
            <>
              <p class="warn" role="alert">
                <strong>{t('moderation.inbound.shown_once')}</strong>
              </p>
              <code class="secret" id="inbound-secret">
                {secret}
              </code>
            </>
          ) : null}
          <form method="post" action={action} class="stack">
            <Csrf c={c} />
            <button type="submit">
              {service.hasSecret
                ? t('moderation.inbound.rotate')
                : t('moderation.inbound.generate')}
            </button>
          </form>
          {service.hasSecret ? (
            <form method="post" action={`${action}/remove`} class="stack">
              <Csrf c={c} />
              <button type="submit" class="secondary">
                {t('moderation.inbound.remove')}
              </button>
            </form>
          ) : null}
          <p>
            <a href={`/admin/services/${service.id}`}>{t('moderation.inbound.back')}</a>
          </p>
        </section>
      ),
    });
  };

  app.get('/admin/services/:id/inbound-secret', manage, (c) => renderSecretPage(c, null));

  app.post('/admin/services/:id/inbound-secret', manage, async (c) => {
    const service = await serviceOf(c);
    const { secret } = await rotateInboundSecret(c.get('ctx'), {
      actor: actorOf(c),
      serviceId: service.id,
    });
    c.header('Cache-Control', 'no-store');
    return renderSecretPage(c, secret);
  });

  app.post('/admin/services/:id/inbound-secret/remove', manage, async (c) => {
    const service = await serviceOf(c);
    await removeInboundSecret(c.get('ctx'), { actor: actorOf(c), serviceId: service.id });
    return redirectWithFlash(
      c,
      `/admin/services/${service.id}/inbound-secret`,
      'moderation.inbound.removed',
    );
  });

  return app;
}
