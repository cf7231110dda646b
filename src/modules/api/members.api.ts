import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { actorOf } from '../../app/middleware.js';
import { MemberErrors } from '../members/members.errors.js';
import { getApplications, getMemberDetail, getMyMembership } from '../members/members.queries.js';
import type { Member, MembershipType } from '../members/members.repository.js';
import {
  editMemberSchema,
  endTermSchema,
  isMemberId,
  officeSchema,
  statusSchema,
} from '../members/members.schemas.js';
import {
  approveApplication,
  changeMemberStatus,
  refuseApplication,
  resignMembership,
  updateMemberDetails,
} from '../members/members.usecases.js';
import { assignOffice, endOfficeTerm } from '../members/offices.usecases.js';
import { exportMyData, updateOwnProfile } from '../members/profile.usecases.js';
import { profileSchema } from '../members/profile.schemas.js';
import { memberResponse, memberDetailResponse } from './api.schemas.js';
import type { ApiRegistry } from './openapi.js';

/** The API's view of a member: the register's fields, never account secrets. */
export function presentMember(m: Member, types: MembershipType[]) {
  return {
    id: m.id,
    memberNumber: m.memberNumber,
    status: m.status,
    type: types.find((t) => t.id === m.typeId)?.code ?? null,
    name: m.name,
    email: m.email,
    phone: m.phone,
    addressLine: m.addressLine,
    postalCode: m.postalCode,
    city: m.city,
    country: m.country,
    orgNumber: m.orgNumber,
    contactPerson: m.contactPerson,
    joinedOn: m.joinedOn,
    statusChangedAt: m.statusChangedAt,
    hasAccount: m.userId !== null,
  };
}

function memberIdParam(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!isMemberId(id)) throw MemberErrors.notFound();
  return id;
}

async function detail(c: Context<AppEnv>, id: string) {
  const d = await getMemberDetail(c.get('ctx').db, id);
  if (!d || d.member.erasedAt) throw MemberErrors.notFound();
  return {
    ...presentMember(d.member, d.types),
    applicationNote: d.member.applicationNote,
    periods: d.periods,
    offices: d.terms,
    acceptances: d.acceptances,
    statusHistory: d.statusChanges,
  };
}

const reasonBody = z.object({ reason: z.string().trim().min(1).max(2000) });

export function registerMembersApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/members/:id',
      summary: 'One member with periods, offices, acceptances and status history',
      tag: 'members',
      permission: 'members.read',
      response: memberDetailResponse,
    },
    async (c) => c.json(await detail(c, memberIdParam(c))),
  );

  api.route(
    {
      method: 'patch',
      path: '/members/:id',
      summary: "Correct a member's contact details or type (all fields, as on the form)",
      tag: 'members',
      permission: 'members.write',
      body: editMemberSchema,
      response: memberDetailResponse,
    },
    async (c, { body }) => {
      const id = memberIdParam(c);
      await updateMemberDetails(c.get('ctx'), { actor: actorOf(c), memberId: id, details: body });
      return c.json(await detail(c, id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/members/:id/status',
      summary:
        "Change a member's status (the transition table applies; a reason is required for lapse, suspension and exclusion)",
      tag: 'members',
      permission: 'members.write',
      body: statusSchema,
      response: memberDetailResponse,
    },
    async (c, { body }) => {
      const id = memberIdParam(c);
      await changeMemberStatus(c.get('ctx'), {
        actor: actorOf(c),
        memberId: id,
        to: body.to,
        reason: body.reason,
        via: 'board',
      });
      return c.json(await detail(c, id));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/applications',
      summary: 'Applications waiting for the board',
      tag: 'members',
      permission: 'members.approve',
      response: z.array(memberResponse),
    },
    async (c) => {
      const apps = await getApplications(c.get('ctx').db);
      return c.json(
        apps.map((a) => ({
          ...presentMember(a.member, a.type ? [a.type] : []),
          applicationNote: a.member.applicationNote,
        })),
      );
    },
  );

  api.route(
    {
      method: 'post',
      path: '/applications/:id/approve',
      summary: 'Approve an application',
      tag: 'members',
      permission: 'members.approve',
      response: memberDetailResponse,
    },
    async (c) => {
      const id = memberIdParam(c);
      await approveApplication(c.get('ctx'), { actor: actorOf(c), memberId: id });
      return c.json(await detail(c, id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/applications/:id/refuse',
      summary: 'Refuse an application, with the reason sent to the applicant',
      tag: 'members',
      permission: 'members.approve',
      body: reasonBody,
      response: memberDetailResponse,
    },
    async (c, { body }) => {
      const id = memberIdParam(c);
      await refuseApplication(c.get('ctx'), {
        actor: actorOf(c),
        memberId: id,
        reason: body.reason,
      });
      return c.json(await detail(c, id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/members/:id/offices',
      summary: 'Give an active member an office for a term',
      tag: 'members',
      permission: 'offices.manage',
      body: officeSchema,
      response: memberDetailResponse,
    },
    async (c, { body }) => {
      const id = memberIdParam(c);
      await assignOffice(c.get('ctx'), {
        actor: actorOf(c),
        memberId: id,
        office: body.office,
        startsOn: body.starts_on,
        endsOn: body.ends_on,
        note: body.note,
      });
      return c.json(await detail(c, id));
    },
  );

  api.route(
    {
      method: 'post',
      path: '/members/:id/offices/:termId/end',
      summary: 'End an office term on a date',
      tag: 'members',
      permission: 'offices.manage',
      body: endTermSchema,
      response: memberDetailResponse,
    },
    async (c, { body }) => {
      const id = memberIdParam(c);
      await endOfficeTerm(c.get('ctx'), {
        actor: actorOf(c),
        memberId: id,
        termId: c.req.param('termId') ?? '',
        endsOn: body.ends_on,
      });
      return c.json(await detail(c, id));
    },
  );

  // The token owner's own membership.
  api.route(
    {
      method: 'get',
      path: '/me/membership',
      summary: 'My membership: status, type, periods, offices, acceptances',
      tag: 'me',
      permission: null,
    },
    async (c) => {
      const user = c.get('user')!;
      const facts = await getMyMembership(c.get('ctx').db, user.id);
      if (!facts) throw MemberErrors.notAMember();
      return c.json({
        ...presentMember(facts.member, facts.type ? [facts.type] : []),
        periods: facts.periods,
        offices: facts.terms,
        acceptances: facts.acceptances,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/me/data',
      summary: 'Everything held about me (the same as the data download)',
      tag: 'me',
      permission: null,
    },
    async (c) => {
      const data = await exportMyData(c.get('ctx'), {
        actor: actorOf(c),
        userId: c.get('user')!.id,
      });
      return c.json(data);
    },
  );

  api.route(
    {
      method: 'put',
      path: '/me/profile',
      summary: 'Update my contact details',
      tag: 'me',
      permission: null,
      body: profileSchema,
    },
    async (c, { body }) => {
      const result = await updateOwnProfile(c.get('ctx'), {
        actor: actorOf(c),
        userId: c.get('user')!.id,
        profile: body,
      });
      return c.json(result);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/me/resign',
      summary: 'Resign my membership',
      tag: 'me',
      permission: null,
      body: z.object({ reason: z.string().trim().max(2000).optional() }),
    },
    async (c, { body }) => {
      const user = c.get('user');
      if (!user) throw CommonErrors.unauthenticated();
      await resignMembership(c.get('ctx'), {
        actor: actorOf(c),
        userId: user.id,
        reason: body.reason ? body.reason : null,
      });
      return c.json({ status: 'resigned' });
    },
  );
}
