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
