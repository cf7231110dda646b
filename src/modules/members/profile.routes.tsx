import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { todayIn } from '../../app/dates.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, clearSessionCookie, requireUser } from '../../app/middleware.js';
import { findMemberByUserId, typeName, type Member } from './members.repository.js';
import { ProfileErrors } from './profile.errors.js';
import { findMembershipTypeById } from './members.repository.js';
import { eraseSchema, profileSchema } from './profile.schemas.js';
import { eraseMyself, exportMyData, updateOwnProfile } from './profile.usecases.js';
import { ErasePage, ProfilePage } from './profile.views.js';

function profileValues(m: Member): Record<string, string> {
  return {
    name: m.name,
    phone: m.phone ?? '',
    address_line: m.addressLine ?? '',
    postal_code: m.postalCode ?? '',
    city: m.city ?? '',
    country: m.country ?? '',
    org_number: m.orgNumber ?? '',
    contact_person: m.contactPerson ?? '',
  };
}

async function renderProfile(c: Context<AppEnv>, state: FormState | null, status = 200) {
  const { db } = c.get('ctx');
  const member = await findMemberByUserId(db, c.get('user')!.id);
  if (!member) throw ProfileErrors.noMembership();
  const type = await findMembershipTypeById(db, member.typeId);
  return page(c, {
    title: c.get('t')('profile.title'),
    status,
    body: (
      <ProfilePage
        c={c}
        state={state ?? emptyForm(profileValues(member))}
        member={member}
        typeName={type ? typeName(type, c.get('locale')) : ''}
        isOrganisation={!!type?.isOrganisation}
      />
    ),
  });
}

function renderErase(c: Context<AppEnv>, state: FormState, status = 200) {
  return page(c, {
    title: c.get('t')('profile.erase.title'),
    status,
    body: <ErasePage c={c} state={state} />,
  });
}

/** The member's own pages: contact details, data download, erasure. */
export function profileRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/membership/profile', requireUser(), (c) => renderProfile(c, null));
  app.post('/membership/profile', requireUser(), async (c) =>
    handleForm(c, {
      schema: profileSchema,
      render: (state, status) => renderProfile(c, state, status),
      run: async (input) => {
        await updateOwnProfile(c.get('ctx'), {
          actor: actorOf(c),
          userId: c.get('user')!.id,
          profile: input,
        });
        return redirectWithFlash(c, '/membership/profile', 'flash.saved');
      },
    }),
  );

  // Only ever the signed-in user's own data: the user id comes from the session.
  app.get('/membership/data.json', requireUser(), async (c) => {
    const ctx = c.get('ctx');
    const { data, handle } = await exportMyData(ctx, {
      actor: actorOf(c),
      userId: c.get('user')!.id,
    });
    const today = todayIn(c.get('association')?.timeZone ?? 'Europe/Oslo', ctx.clock.now());
    const filename = `${handle.replace(/[^a-z0-9_.-]/gi, '_')}-data-${today}.json`;
    return c.body(JSON.stringify(data, null, 2), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    });
  });

  app.get('/membership/erase', requireUser(), (c) => renderErase(c, emptyForm()));
  app.post('/membership/erase', requireUser(), async (c) =>
    handleForm(c, {
      schema: eraseSchema,
      render: (state, status) => renderErase(c, state, status),
      run: async (input) => {
        await eraseMyself(c.get('ctx'), {
          userId: c.get('user')!.id,
          currentPassword: input.current_password,
        });
        clearSessionCookie(c);
        return redirectWithFlash(c, '/', 'profile.erase.done');
      },
    }),
  );

  return app;
}
