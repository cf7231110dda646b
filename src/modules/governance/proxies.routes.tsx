import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requireUser } from '../../app/middleware.js';
import { getGovernanceSettings } from './governance-settings.repository.js';
import { visibleMeeting } from './meetings.routes.js';
import { countPresentByProxy, listProxies } from './proxies.repository.js';
import {
  giveProxy,
  proxyStateOf,
  recordWrittenProxy,
  revokeOwnProxy,
  revokeProxyAsOfficer,
} from './proxies.usecases.js';
import { ProxiesOfficerPage, ProxyPage } from './proxies.views.js';
import { findRegister } from './register.repository.js';
import { loadMeetingRow, requireOfficer } from './register.usecases.js';

type C = Context<AppEnv>;

const empty = z.object({});
const number = z.coerce.number().int().positive().max(100_000_000);
const giveSchema = z.object({ member_number: number });
const writtenSchema = z.object({ grantor_number: number, holder_number: number });

async function renderMine(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  const settings = await getGovernanceSettings(db);
  const memberId = c.get('user')?.memberId;
  return page(c, {
    title: c.get('t')('proxies.title'),
    status,
    body: (
      <ProxyPage
        c={c}
        meeting={meeting}
        enabled={settings.proxiesEnabled}
        cap={settings.proxyCap}
        frozen={!!(await findRegister(db, meeting.id))}
        mine={memberId ? await proxyStateOf(db, meeting.id, memberId) : null}
        state={state}
      />
    ),
  });
}

async function renderOfficer(c: C, state: FormState, status = 200) {
  const { db } = c.get('ctx');
  const meeting = await visibleMeeting(c, c.req.param('id') ?? '');
  requireOfficer(c.get('user'), await loadMeetingRow(db, meeting.id));
  return page(c, {
    title: c.get('t')('proxies.officer.title'),
    status,
    body: (
      <ProxiesOfficerPage
        c={c}
        meeting={meeting}
        enabled={(await getGovernanceSettings(db)).proxiesEnabled}
        proxies={await listProxies(db, meeting.id)}
        presentByProxy={await countPresentByProxy(db, meeting.id)}
        state={state}
      />
    ),
  });
}

/** Proxies: a member's own page, and the officers' list with written proxies. */
export function proxiesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const user = requireUser();
  const mine = (c: C) => `/meetings/${c.req.param('id')}/proxy`;
  const list = (c: C) => `/meetings/${c.req.param('id')}/proxies`;

  app.get('/meetings/:id/proxy', user, (c) => renderMine(c, emptyForm()));

  app.post('/meetings/:id/proxy', user, (c) =>
    handleForm(c, {
      schema: giveSchema,
      render: (state, status) => renderMine(c, state, status),
      run: async (input) => {
        await giveProxy(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          meetingId: c.req.param('id'),
          holderNumber: input.member_number,
          locale: c.get('locale'),
        });
        return redirectWithFlash(c, mine(c), 'proxies.given_done');
      },
    }),
  );

  app.post('/meetings/:id/proxy/revoke', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderMine(c, state, status),
      run: async () => {
        await revokeOwnProxy(c.get('ctx'), {
          actor: actorOf(c),
          memberId: c.get('user')?.memberId ?? null,
          meetingId: c.req.param('id'),
        });
        return redirectWithFlash(c, mine(c), 'proxies.revoked_done');
      },
    }),
  );

  app.get('/meetings/:id/proxies', user, (c) => renderOfficer(c, emptyForm()));

  app.post('/meetings/:id/proxies', user, (c) =>
    handleForm(c, {
      schema: writtenSchema,
      render: (state, status) => renderOfficer(c, state, status),
      run: async (input) => {
        await recordWrittenProxy(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          grantorNumber: input.grantor_number,
          holderNumber: input.holder_number,
        });
        return redirectWithFlash(c, list(c), 'proxies.given_done');
      },
    }),
  );

  app.post('/meetings/:id/proxies/:proxyId/revoke', user, (c) =>
    handleForm(c, {
      schema: empty,
      render: (state, status) => renderOfficer(c, state, status),
      run: async () => {
        await revokeProxyAsOfficer(c.get('ctx'), {
          actor: actorOf(c),
          user: c.get('user'),
          meetingId: c.req.param('id'),
          proxyId: c.req.param('proxyId'),
        });
        return redirectWithFlash(c, list(c), 'proxies.revoked_done');
      },
    }),
  );

  return app;
}
