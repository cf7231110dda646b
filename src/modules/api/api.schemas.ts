import { z } from 'zod';

// Response shapes, for the OpenAPI document and the API's tests.

export const meResponse = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  handle: z.string(),
  memberId: z.string().nullable(),
  memberStatus: z.string().nullable(),
  offices: z.array(z.string()),
  permissions: z.array(z.string()),
});

export const membershipTypeResponse = z.object({
  code: z.string(),
  nameNb: z.string(),
  nameEn: z.string(),
  isOrganisation: z.boolean(),
  active: z.boolean(),
  year: z.number().int(),
  feeOre: z.number().int().nullable(),
});

export const memberResponse = z.object({
  id: z.string(),
  memberNumber: z.number().int(),
  status: z.string(),
  type: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  orgNumber: z.string().nullable(),
  contactPerson: z.string().nullable(),
  joinedOn: z.string().nullable(),
  statusChangedAt: z.string(),
  hasAccount: z.boolean(),
});

export const memberDetailResponse = memberResponse.extend({
  applicationNote: z.string().nullable(),
  periods: z.array(
    z
      .object({
        year: z.number().int(),
        startsOn: z.string(),
        endsOn: z.string(),
        paidAt: z.string().nullable(),
      })
      .loose(),
  ),
  offices: z.array(
    z.object({ office: z.string(), startsOn: z.string(), endsOn: z.string().nullable() }).loose(),
  ),
  acceptances: z.array(z.object({}).loose()),
  statusHistory: z.array(z.object({}).loose()),
});
