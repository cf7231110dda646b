import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { CommonErrors } from '../../app/errors.js';
import { emptyForm, handleForm, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import { page } from '../../app/layout.js';
import { actorOf, requireUser } from '../../app/middleware.js';
import { getApplyForm, getMyMembership } from './members.queries.js';
import { findMemberByUserId } from './members.repository.js';
import { applySchema, resignSchema } from './members.schemas.js';
import { MAY_APPLY_AGAIN } from './members.transitions.js';
import { applyForMembership, resignMembership } from './members.usecases.js';
import { ApplyPage, MyMembershipPage, type ApplyBlock } from './membership.views.js';

/** The association year today falls in, in the association's time zone. */
export function currentYear(c: Context<AppEnv>): { year: number; today: string } {
  const association = c.get('association');
  if (!association) throw CommonErrors.setupRequired();
  const today = todayIn(association.timeZone, c.get('ctx').clock.now());
  return { year: associationYear(today, association.yearStartMonth).year, today };
}

function currentUser(c: Context<AppEnv>) {
  const user = c.get('user');
  if (!user) throw CommonErrors.unauthenticated();
  return user;
}

async function renderMembership(c: Context<AppEnv>, resign: FormState, status = 200) {
  const user = currentUser(c);
  const facts = await getMyMembership(c.get('ctx').db, user.id);
  return page(c, {
    title: c.get('t')('members.my.title'),
    status,
    body: (
      <MyMembershipPage c={c} facts={facts} currentYear={currentYear(c).year} resign={resign} />
    ),
  });
}

async function renderApply(c: Context<AppEnv>, state: FormState | null, status = 200) {
  const user = currentUser(c);
  const { db } = c.get('ctx');
  const { year } = currentYear(c);
  const [form, member] = await Promise.all([
    getApplyForm(db, year),
    findMemberByUserId(db, user.id),
  ]);
  const block: ApplyBlock = !user.emailVerified
    ? 'unverified'
    : member && !MAY_APPLY_AGAIN.includes(member.status) && !state
      ? 'member'
      : null;
  // A former member applying again sees what we already have.
  const initial = emptyForm({
    name: member?.name ?? user.name,
    phone: member?.phone ?? '',
    address_line: member?.addressLine ?? '',
    postal_code: member?.postalCode ?? '',
    city: member?.city ?? '',
    country: member?.country ?? '',
    org_number: member?.orgNumber ?? '',
    contact_person: member?.contactPerson ?? '',
  });
  return page(c, {
    title: c.get('t')('members.apply.title'),
    status,
    body: (
      <ApplyPage
        c={c}
        state={state ?? initial}
        types={form.types}
        year={year}
        statutes={form.statutes}
        aup={form.aup}
        block={block}
      />
    ),
  });
}

export function membershipRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/membership', requireUser(), (c) => renderMembership(c, emptyForm()));

  app.get('/membership/apply', requireUser(), (c) => renderApply(c, null));
  app.post('/membership/apply', requireUser(), (c) =>
    handleForm(c, {
      schema: applySchema,
      render: (state, status) => renderApply(c, state, status),
      run: async (application) => {
        const { status } = await applyForMembership(c.get('ctx'), {
          actor: actorOf(c),
          userId: currentUser(c).id,
          application,
        });
        return redirectWithFlash(
          c,
          '/membership',
          status === 'applied' ? 'members.apply.received' : 'members.apply.activated',
        );
      },
    }),
  );

  app.post('/membership/resign', requireUser(), (c) =>
    handleForm(c, {
      schema: resignSchema,
      render: (state, status) => renderMembership(c, state, status),
      run: async (input) => {
        await resignMembership(c.get('ctx'), {
          actor: actorOf(c),
          userId: currentUser(c).id,
          reason: input.reason,
        });
        return redirectWithFlash(c, '/membership', 'members.resign.done');
      },
    }),
  );

  return app;
}
