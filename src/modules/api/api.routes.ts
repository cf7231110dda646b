import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app/context.js';
import { listMembershipFees, listMembershipTypes } from '../members/members.repository.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { apiRegistry } from './openapi.js';
import { registerMembersApi } from './members.api.js';
import { registerRegisterApi } from './register.api.js';
import { registerInvoiceApi } from '../billing/invoices.api.js';
import { registerPaymentApi } from '../billing/payments.api.js';
import { registerOverviewApi } from '../billing/overview.api.js';
import { registerServicesApi } from '../services/services.api.js';
import { registerSsoApi } from '../sso/sso.api.js';
import { registerFinanceApi } from '../finance/finance.api.js';
import { registerElectionsApi } from '../governance/elections.api.js';
import { registerMinutesApi } from '../governance/minutes.api.js';
import { registerGovernanceApi } from '../governance/governance.api.js';
import { meResponse, membershipTypeResponse } from './api.schemas.js';

export const API_VERSION = '1.0.0';

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = apiRegistry(app);

  app.get('/openapi.json', (c) =>
    c.json(api.document({ baseUrl: c.get('ctx').config.baseUrl, version: API_VERSION })),
  );

  api.route(
    {
      method: 'get',
      path: '/me',
      summary: 'The token owner: account, membership, offices and permissions',
      tag: 'account',
      permission: null,
      response: meResponse,
    },
    (c) => {
      const user = c.get('user')!;
      return c.json({
        id: user.id,
        email: user.email,
        name: user.name,
        handle: user.handle,
        memberId: user.memberId,
        memberStatus: user.memberStatus,
        offices: user.offices,
        permissions: [...user.permissions].sort(),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/membership-types',
      summary: 'Membership types with the fee of an association year',
      tag: 'members',
      permission: null,
      query: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
      response: z.array(membershipTypeResponse),
    },
    async (c, { query }) => {
      const { db, clock } = c.get('ctx');
      const association = c.get('association')!;
      const year =
        query.year ??
        associationYear(todayIn(association.timeZone, clock.now()), association.yearStartMonth)
          .year;
      const [types, fees] = await Promise.all([
        listMembershipTypes(db),
        listMembershipFees(db, year),
      ]);
      return c.json(
        types.map((t) => ({
          code: t.code,
          nameNb: t.nameNb,
          nameEn: t.nameEn,
          isOrganisation: t.isOrganisation,
          active: t.active,
          year,
          feeOre: fees.find((f) => f.typeId === t.id)?.amountOre ?? null,
        })),
      );
    },
  );

  // The register's static paths (/members/export.csv, /members/import) before /members/:id.
  registerRegisterApi(api);
  registerMembersApi(api);
  registerInvoiceApi(api);
  registerPaymentApi(api);
  registerOverviewApi(api);
  registerServicesApi(api);
  registerSsoApi(api);
  registerFinanceApi(api);
  registerElectionsApi(api);
  registerMinutesApi(api);
  registerGovernanceApi(api);

  return app;
}
