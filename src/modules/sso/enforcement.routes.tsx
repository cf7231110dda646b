import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { formValues } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requirePermission } from '../../app/middleware.js';
import {
  findMemberLabel,
  findServiceName,
  listDeliveries,
  listEnforcements,
} from './enforcement.repository.js';
import { retryEnforcement } from './enforcement.usecases.js';
import { MemberEnforcementsPage, ServiceEnforcementsPage } from './enforcement.views.js';

const ID = ':id{[0-9a-z]{26}}';
const manage = requirePermission('services.manage');

/** Administrators' view of enforcement calls to the services' admin APIs, and retries. */
export function enforcementRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get(`/admin/services/${ID}/enforcements`, manage, async (c) => {
    const { db } = c.get('ctx');
    const id = c.req.param('id');
    const name = await findServiceName(db, id);
    if (!name) throw CommonErrors.notFound();
    const [entries, deliveries] = await Promise.all([
      listEnforcements(db, { serviceId: id }),
      listDeliveries(db, id),
    ]);
    return page(c, {
      title: c.get('t')('enforcement.title_service', { service: name }),
      body: (
        <ServiceEnforcementsPage
          c={c}
          service={{ id, name }}
          entries={entries}
          deliveries={deliveries}
        />
      ),
    });
  });

  app.get(`/admin/members/${ID}/enforcements`, manage, async (c) => {
    const { db } = c.get('ctx');
    const id = c.req.param('id');
    const member = await findMemberLabel(db, id);
    if (!member) throw CommonErrors.notFound();
    const entries = await listEnforcements(db, { memberId: id });
    return page(c, {
      title: c.get('t')('enforcement.title_member', {
        member: `${member.name} (#${member.memberNumber})`,
      }),
      body: <MemberEnforcementsPage c={c} member={{ id, ...member }} entries={entries} />,
    });
  });

  app.post(`/admin/enforcements/${ID}/retry`, manage, async (c) => {
    const values = await formValues(c);
    const { serviceId, memberId } = await retryEnforcement(c.get('ctx'), {
      actor: actorOf(c),
      enforcementId: c.req.param('id'),
    });
    const back =
      values['back'] === 'member'
        ? `/admin/members/${memberId}/enforcements`
        : `/admin/services/${serviceId}/enforcements`;
    return redirectWithFlash(c, back, 'enforcement.flash.retried');
  });

  return app;
}
