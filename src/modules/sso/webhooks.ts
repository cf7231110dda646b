import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../app/db.js';
import { newId } from '../../app/ids.js';
import { enqueueOutbox } from '../../app/outbox.js';
import { secretBox } from '../../app/secret-box.js';
import { ConnectorError } from './connectors/http.js';

// Signed webhooks: a service that registered a webhook URL hears about every change that
// opens or closes it for a member. The body is JSON; the signature is
// HMAC-SHA256(secret, `${timestamp}.${body}`) in hex, sent with the timestamp (Unix
// seconds, set at each delivery attempt) so the receiver can refuse replays older than
// five minutes. See docs/services/enforcement.md for verification.

export const WEBHOOK_KIND = 'sso.webhook';
export const SIGNATURE_HEADER = 'allmenning-signature';
export const TIMESTAMP_HEADER = 'allmenning-timestamp';
export const EVENT_ID_HEADER = 'allmenning-event-id';
export const WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookEvent =
  | 'membership.lapsed'
  | 'membership.suspended'
  | 'membership.resigned'
  | 'membership.excluded'
  | 'membership.reinstated'
  | 'service_access.withdrawn'
  | 'service_access.granted'
  | 'account.erased';

export type WebhookBody = {
  id: string;
  event: WebhookEvent;
  member: { sub: string | null; preferred_username: string | null };
  service: { id: string; slug: string };
  at: string;
};

type WebhookPayload = { serviceId: string; eventId: string; body: string };

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver does (and what the tests do): recompute, compare, check the age. */
export function verifyWebhook(opts: {
  secret: string;
  body: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  now: Date;
}): boolean {
  const ts = Number(opts.timestamp);
  if (!opts.timestamp || !Number.isInteger(ts) || !opts.signature) return false;
  if (Math.abs(opts.now.getTime() / 1000 - ts) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(opts.secret, ts, opts.body), 'hex');
  const given = Buffer.from(opts.signature.replace(/^v1=/, ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Queues the event for one service, in the caller's transaction. */
export async function enqueueWebhook(
  tx: Db,
  opts: {
    service: { id: string; slug: string };
    event: WebhookEvent;
    member: WebhookBody['member'];
    now: Date;
  },
): Promise<void> {
  const id = newId(opts.now.getTime());
  const body: WebhookBody = {
    id,
    event: opts.event,
    member: opts.member,
    service: opts.service,
    at: opts.now.toISOString(),
  };
  const payload: WebhookPayload = {
    serviceId: opts.service.id,
    eventId: id,
    body: JSON.stringify(body),
  };
  await enqueueOutbox(tx, {
    kind: WEBHOOK_KIND,
    recipient: opts.service.id,
    payload,
    at: opts.now,
  });
}

/**
 * Delivers one webhook. The URL and secret are read now (so a changed secret is used and
 * none sits in the outbox); a service that no longer has a webhook is skipped.
 */
export async function deliverWebhook(
  deps: { db: Db; secret: string; timeoutMs?: number },
  raw: unknown,
  now: Date,
): Promise<void> {
  const payload = raw as WebhookPayload;
  const service = await deps.db
    .selectFrom('services')
    .select(['webhook_url', 'webhook_secret_enc'])
    .where('id', '=', payload.serviceId)
    .executeTakeFirst();
  if (!service?.webhook_url) return;
  if (!service.webhook_secret_enc) throw new ConnectorError('webhook secret missing');
  const secret = secretBox(deps.secret).open(service.webhook_secret_enc);
  const timestamp = Math.floor(now.getTime() / 1000);
  const url = new URL(service.webhook_url);
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Allmenning-Webhook/1',
      [EVENT_ID_HEADER]: payload.eventId,
      [TIMESTAMP_HEADER]: String(timestamp),
      [SIGNATURE_HEADER]: `v1=${signWebhook(secret, timestamp, payload.body)}`,
    },
    body: payload.body,
    signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
  }).catch((err: unknown) => {
    const name = err instanceof Error ? err.name : '';
    const code = err instanceof Error ? (err.cause as { code?: string } | undefined)?.code : null;
    throw new ConnectorError(
      `POST webhook ${url.pathname}: ${name === 'TimeoutError' ? 'timeout' : (code ?? 'network error')}`,
    );
  });
  await res.body?.cancel();
  if (res.status < 200 || res.status >= 300)
    throw new ConnectorError(`POST webhook ${url.pathname}: HTTP ${res.status}`, res.status);
}
