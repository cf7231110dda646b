import { createHmac } from 'node:crypto';
import { recordAudit, type Actor } from '../../app/audit.js';
import type { AppContext } from '../../app/context.js';
import { safeEqual } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';
import { secretBox } from '../../app/secret-box.js';
import { OFFICES, type Office } from '../members/members.tables.js';
import { checkServiceAccess, type Refusal, type Standing } from '../services/access.js';
import { DiscourseErrors } from './discourse.errors.js';

// DiscourseConnect ("Discourse SSO"): Discourse sends the browser here with
//   sso = base64("nonce=…&return_sso_url=…"), sig = hex(HMAC-SHA256(secret, sso))
// and we send it back to return_sso_url with a payload of the same shape describing the
// member. The HMAC covers the base64 text exactly as sent, not the decoded payload.

/** How long a used nonce is remembered: as long as Discourse remembers a used one. */
export const NONCE_MEMORY_MS = 24 * 3600_000;

/** hex(HMAC-SHA256(secret, payload)): the `sig` of either direction. */
export function signDiscoursePayload(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/** Constant-time check of `sig` against the payload `sso` as received. */
export function verifyDiscourseSignature(secret: string, sso: string, sig: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(sig)) return false;
  return safeEqual(signDiscoursePayload(secret, sso), sig.toLowerCase());
}

/** Discourse sends strict base64 (A–Z, a–z, 0–9, +, /, =); it refuses anything else too. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Decodes the request payload; null when it is not base64 or lacks nonce/return URL. */
export function decodeDiscourseRequest(
  sso: string,
): { nonce: string; returnSsoUrl: string } | null {
  if (!BASE64.test(sso) || sso.length % 4 !== 0) return null;
  const fields = new URLSearchParams(Buffer.from(sso, 'base64').toString('utf8'));
  const nonce = fields.get('nonce');
  const returnSsoUrl = fields.get('return_sso_url');
  if (!nonce || nonce.length > 200 || !returnSsoUrl) return null;
  return { nonce, returnSsoUrl };
}

/** Builds `sso` (base64 of the form-encoded fields) and its `sig`. */
export function encodeDiscoursePayload(
  secret: string,
  fields: Record<string, string>,
): { sso: string; sig: string } {
  const sso = Buffer.from(new URLSearchParams(fields).toString(), 'utf8').toString('base64');
  return { sso, sig: signDiscoursePayload(secret, sso) };
}

/**
 * The Discourse groups Allmenning manages: the same names as the OpenID Connect `groups`
 * claim (oidc-claims.ts), without the per-service groups. A member is put in those that
 * describe them now and taken out of the rest; groups an administrator made by hand in
 * Discourse are never touched, nor are groups that do not exist there.
 */
export const DISCOURSE_GROUPS: readonly DiscourseGroup[] = ['members', 'board', ...OFFICES];
export type DiscourseGroup = 'members' | 'board' | Office;

/** add_groups / remove_groups for a member's standing (status and offices held today). */
export function discourseGroupsFor(standing: Pick<Standing, 'refusal' | 'offices'>): {
  add: DiscourseGroup[];
  remove: DiscourseGroup[];
} {
  const mine = new Set<DiscourseGroup>();
  if (standing.refusal === null) {
    mine.add('members');
    if (standing.offices.includes('board_member')) mine.add('board');
    for (const office of standing.offices) mine.add(office);
  }
  return {
    add: DISCOURSE_GROUPS.filter((g) => mine.has(g)),
    remove: DISCOURSE_GROUPS.filter((g) => !mine.has(g)),
  };
}

export type DiscourseService = {
  id: string;
  slug: string;
  name: string;
  url: string;
  secret: string;
};

/** The service behind /sso/discourse/:slug, with its secret opened; null if there is none. */
export async function findDiscourseService(
  ctx: Pick<AppContext, 'db' | 'secret'>,
  slug: string,
): Promise<DiscourseService | null> {
  const row = await ctx.db
    .selectFrom('services')
    .select(['id', 'slug', 'name', 'url', 'discourse_secret_enc'])
    .where('slug', '=', slug)
    .where('login_method', '=', 'discourse')
    .executeTakeFirst();
  if (!row?.discourse_secret_enc) return null;
  const secret = secretBox(ctx.secret).open(row.discourse_secret_enc);
  return { id: row.id, slug: row.slug, name: row.name, url: row.url, secret };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return (x.protocol === 'https:' || x.protocol === 'http:') && x.origin === y.origin;
  } catch {
    return false;
  }
}

export async function isNonceUsed(db: Db, nonce: string): Promise<boolean> {
  const row = await db
    .selectFrom('discourse_nonces')
    .select('nonce')
    .where('nonce', '=', nonce)
    .executeTakeFirst();
  return !!row;
}

/**
 * Checks a request from Discourse before anyone logs in: the signature, the payload, that
 * the return URL is on the service's own origin (else we would be an open redirect with
 * the member's details attached) and that the nonce has not been answered already.
 */
export async function checkDiscourseRequest(
  ctx: Pick<AppContext, 'db' | 'secret'>,
  input: { slug: string; sso: string | undefined; sig: string | undefined },
): Promise<{ service: DiscourseService; nonce: string; returnSsoUrl: string }> {
  const service = await findDiscourseService(ctx, input.slug);
  if (!service) throw DiscourseErrors.unknownService();
  if (!input.sso || !input.sig) throw DiscourseErrors.badRequest();
  if (!verifyDiscourseSignature(service.secret, input.sso, input.sig))
    throw DiscourseErrors.badSignature();
  const request = decodeDiscourseRequest(input.sso);
  if (!request) throw DiscourseErrors.badRequest();
  if (!sameOrigin(request.returnSsoUrl, service.url)) throw DiscourseErrors.foreignReturnUrl();
  if (await isNonceUsed(ctx.db, request.nonce)) throw DiscourseErrors.nonceUsed();
  return { service, ...request };
}

export type DiscourseUser = {
  id: string;
  email: string;
  emailVerified: boolean;
  handle: string;
  name: string;
};

export type DiscourseAnswer =
  | { allowed: true; redirectTo: string; groups: { add: string[]; remove: string[] } }
  | { allowed: false; refusal: Refusal | 'email_unverified'; standing: Standing | null };

/**
 * Answers a checked request for the logged-in user: runs the gate, spends the nonce
 * (single use: its primary key refuses a second answer, even a concurrent one) and
 * writes the audit entry in one transaction, and returns the signed redirect back to
 * Discourse. A refusal sends nothing to Discourse and leaves the nonce unspent.
 */
export async function answerDiscourseRequest(
  ctx: Pick<AppContext, 'db' | 'secret'>,
  input: {
    service: DiscourseService;
    nonce: string;
    returnSsoUrl: string;
    user: DiscourseUser;
    actor: Actor;
    now: Date;
  },
): Promise<DiscourseAnswer> {
  const { service, user, now } = input;
  // Discourse trusts the address it is given to match existing accounts.
  if (!user.emailVerified) return { allowed: false, refusal: 'email_unverified', standing: null };
  const gate = await checkServiceAccess(ctx.db, { userId: user.id, serviceId: service.id, now });
  if (!gate.allowed) return { allowed: false, refusal: gate.refusal, standing: gate.standing };

  const groups = discourseGroupsFor(gate.standing);
  await ctx.db.transaction().execute(async (tx) => {
    try {
      await tx
        .insertInto('discourse_nonces')
        .values({
          nonce: input.nonce,
          service_id: service.id,
          used_at: now.toISOString(),
          expires_at: new Date(now.getTime() + NONCE_MEMORY_MS).toISOString(),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw DiscourseErrors.nonceUsed();
      throw err;
    }
    await recordAudit(tx, {
      actor: input.actor,
      action: 'sso.discourse_login',
      entityType: 'service',
      entityId: service.id,
      after: { userId: user.id, groups: groups.add },
      at: now,
    });
  });

  const { sso, sig } = encodeDiscoursePayload(service.secret, {
    nonce: input.nonce,
    external_id: user.id,
    email: user.email,
    username: user.handle,
    name: user.name,
    require_activation: 'false',
    ...(groups.add.length ? { add_groups: groups.add.join(',') } : {}),
    ...(groups.remove.length ? { remove_groups: groups.remove.join(',') } : {}),
  });
  const target = new URL(input.returnSsoUrl);
  target.searchParams.set('sso', sso);
  target.searchParams.set('sig', sig);
  return { allowed: true, redirectTo: target.toString(), groups };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}
