import { z } from 'zod';
import type { Context } from 'hono';
import type { AppEnv, CurrentUser } from '../../app/context.js';
import { CommonErrors } from '../../app/errors.js';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import { RECEIPT_TYPES } from './expense-receipt.js';
import { ExpenseErrors } from './expenses.errors.js';
import {
  findClaimByNumber,
  listClaimEvents,
  listClaimsInStatus,
  listClaimsOfMember,
  listReceipts,
  type Claim,
} from './expenses.repository.js';
import { claimApiSchema, decodeBase64, payApiSchema, reasonApiSchema } from './expenses.schemas.js';
import {
  actOnClaim,
  availableActions,
  CLAIM_ACTIONS,
  isOfficer,
  maySeeClaim,
  submitClaim,
  type ClaimAction,
  type Officer,
} from './expenses.usecases.js';
import { CLAIM_STATUSES } from './finance.tables.js';

// Expense claims under /api/v1. A claim is submitted as JSON with the receipt base64-
// encoded (one request, like the form; a 10 MB receipt is about 13.4 MB of base64, within
// the 16 MB body limit of /api/v1/expenses). The receipt's type is read from its content.

const claimResponse = z.object({
  id: z.string(),
  number: z.number().int(),
  memberId: z.string(),
  seriesId: z.string().nullable(),
  spentOn: z.string(),
  amountOre: z.number().int(),
  vatOre: z.number().int(),
  description: z.string(),
  category: z.string(),
  payeeAccount: z.string(),
  status: z.enum(CLAIM_STATUSES),
  attestedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  paidOn: z.string().nullable(),
  paymentReference: z.string().nullable(),
  reason: z.string().nullable(),
  fiscalYear: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  receipts: z.number().int().optional(),
  actions: z.array(z.enum(CLAIM_ACTIONS)).optional(),
});

function present(c: Claim, extra: { receipts?: number; actions?: ClaimAction[] } = {}) {
  return {
    id: c.id,
    number: c.number,
    memberId: c.memberId,
    seriesId: c.seriesId,
    spentOn: c.spentOn,
    amountOre: c.amountOre,
    vatOre: c.vatOre,
    description: c.description,
    category: c.category,
    payeeAccount: c.payeeAccount,
    status: c.status,
    attestedAt: c.attestedAt,
    approvedAt: c.approvedAt,
    paidOn: c.paidOn,
    paymentReference: c.paymentReference,
    reason: c.reason,
    fiscalYear: c.fiscalYear,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    ...extra,
  };
}

function userOf(c: Context<AppEnv>): CurrentUser {
  const user = c.get('user');
  if (!user) throw CommonErrors.unauthenticated();
  return user;
}

const officerOf = (u: CurrentUser): Officer => ({
  userId: u.id,
  memberId: u.memberId,
  permissions: u.permissions,
});

const NUM = ':number';

/** The claim number of the path; anything but digits names no claim. */
function claimNumber(c: Context<AppEnv>): number {
  const raw = c.req.param('number') ?? '';
  if (!/^\d{1,9}$/.test(raw)) throw ExpenseErrors.notFound();
  return Number(raw);
}

export function registerExpensesApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/expenses',
      summary: "The caller's own expense claims, newest first",
      tag: 'finance',
      permission: null,
      response: z.object({ claims: z.array(claimResponse) }),
    },
    async (c) => {
      const user = userOf(c);
      const claims = user.memberId ? await listClaimsOfMember(c.get('ctx').db, user.memberId) : [];
      return c.json({ claims: claims.map((cl) => present(cl, { receipts: cl.receipts })) });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/expenses',
      summary: `Submit an expense claim (the caller must have an active membership). The receipt is base64 in receipt.contentBase64: ${RECEIPT_TYPES.join(', ')}, at most 10 MB, its type read from the content. Nothing is stored when anything is refused`,
      tag: 'finance',
      permission: null,
      body: claimApiSchema,
      response: claimResponse,
    },
    async (c, { body }) => {
      const user = userOf(c);
      const content = decodeBase64(body.receipt.contentBase64);
      if (!content)
        throw CommonErrors.validation(undefined, {
          'receipt.contentBase64': { nb: 'Ikke gyldig base64.', en: 'Not valid base64.' },
        });
      const { claim } = await submitClaim(c.get('ctx'), {
        actor: actorOf(c),
        claimant: { userId: user.id, memberId: user.memberId, memberStatus: user.memberStatus },
        input: {
          spentOn: body.spentOn,
          amountOre: body.amountOre,
          vatOre: body.vatOre,
          description: body.description,
          category: body.category,
          payeeAccount: body.payeeAccount,
        },
        upload: { filename: body.receipt.filename, content },
      });
      return c.json(present(claim, { receipts: 1 }), 201);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/expenses/queue',
      summary:
        'The open claims (submitted, returned, attested, approved), oldest first, each with the steps the caller may take on it now. For officers (attest, approve, pay or read the books)',
      tag: 'finance',
      permission: null,
      response: z.object({ claims: z.array(claimResponse) }),
    },
    async (c) => {
      const officer = officerOf(userOf(c));
      if (!isOfficer(officer)) throw CommonErrors.forbidden();
      const open = await listClaimsInStatus(c.get('ctx').db, [
        'submitted',
        'returned',
        'attested',
        'approved',
      ]);
      return c.json({
        claims: open.map((cl) =>
          present(cl, {
            receipts: cl.receipts,
            actions: availableActions(officer, cl, cl.receipts),
          }),
        ),
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: `/expenses/${NUM}`,
      summary:
        'One claim with its receipts (without content) and history: the claimant or officers',
      tag: 'finance',
      permission: null,
      response: claimResponse.extend({
        receiptFiles: z.array(
          z.object({
            id: z.string(),
            filename: z.string(),
            contentType: z.string(),
            size: z.number().int(),
            sha256: z.string(),
          }),
        ),
        history: z.array(
          z.object({
            at: z.string(),
            action: z.string(),
            actor: z.string(),
            note: z.string().nullable(),
          }),
        ),
      }),
    },
    async (c) => {
      const officer = officerOf(userOf(c));
      const db = c.get('ctx').db;
      const claim = await findClaimByNumber(db, claimNumber(c));
      if (!claim) throw ExpenseErrors.notFound();
      if (!maySeeClaim(officer, claim)) throw CommonErrors.forbidden();
      const [receipts, events] = await Promise.all([
        listReceipts(db, claim.id),
        listClaimEvents(db, claim.id),
      ]);
      return c.json({
        ...present(claim, {
          receipts: receipts.length,
          actions: availableActions(officer, claim, receipts.length),
        }),
        receiptFiles: receipts.map((r) => ({
          id: r.id,
          filename: r.filename,
          contentType: r.contentType,
          size: r.size,
          sha256: r.sha256,
        })),
        history: events.map((e) => ({
          at: e.at,
          action: e.action,
          actor: e.actorLabel,
          note: e.note,
        })),
      });
    },
  );

  const step = (action: 'attest' | 'approve', permission: 'expenses.attest' | 'expenses.approve') =>
    api.route(
      {
        method: 'post',
        path: `/expenses/${NUM}/${action}`,
        summary:
          action === 'attest'
            ? 'Attest a submitted claim (not your own; it must have a receipt)'
            : 'Approve an attested claim (not your own, and not one you attested: the two-person rule)',
        tag: 'finance',
        permission,
        response: claimResponse,
      },
      async (c) => {
        const { claim } = await actOnClaim(c.get('ctx'), {
          actor: actorOf(c),
          officer: officerOf(userOf(c)),
          number: claimNumber(c),
          action,
        });
        return c.json(present(claim));
      },
    );
  step('attest', 'expenses.attest');
  step('approve', 'expenses.approve');

  api.route(
    {
      method: 'post',
      path: `/expenses/${NUM}/pay`,
      summary:
        'Record the payment of an approved claim (date and bank reference). A claim already paid answers 409 expenses.already_paid; of two at once, one wins',
      tag: 'finance',
      permission: 'finance.manage',
      body: payApiSchema,
      response: claimResponse,
    },
    async (c, { body }) => {
      const { claim } = await actOnClaim(c.get('ctx'), {
        actor: actorOf(c),
        officer: officerOf(userOf(c)),
        number: claimNumber(c),
        action: 'pay',
        paidOn: body.paidOn,
        reference: body.reference,
      });
      return c.json(present(claim));
    },
  );

  for (const action of ['reject', 'return'] as const) {
    api.route(
      {
        method: 'post',
        path: `/expenses/${NUM}/${action}`,
        summary:
          action === 'reject'
            ? 'Reject a claim with a reason (an officer; not your own)'
            : 'Send a claim back to the claimant for changes, with a reason; the attestation starts over',
        tag: 'finance',
        permission: null,
        body: reasonApiSchema,
        response: claimResponse,
      },
      async (c, { body }) => {
        const { claim } = await actOnClaim(c.get('ctx'), {
          actor: actorOf(c),
          officer: officerOf(userOf(c)),
          number: claimNumber(c),
          action,
          reason: body.reason,
        });
        return c.json(present(claim));
      },
    );
  }
}
