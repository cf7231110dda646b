import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_TOLERANCE_SECONDS, signWebhook } from '../sso/webhooks.js';

// Reports that arrive from the services. Two formats:
//
// - Mastodon's admin webhook (Administration → Webhooks, event `report.created`). Mastodon
//   signs the raw body with HMAC-SHA256 under the webhook's secret and sends
//   `X-Hub-Signature: sha256=<hex>`; the body is `{event, created_at, object}` with the
//   report as `object`. There is no timestamp, so replays are caught by the report's id.
// - A generic signed webhook for any other service, signed the way Allmenning signs its own
//   (src/modules/sso/webhooks.ts): `Allmenning-Timestamp: <unix seconds>` and
//   `Allmenning-Signature: v1=<hex HMAC-SHA256 of "${timestamp}.${body}">`, refused when
//   older (or newer) than five minutes; body `{id, reported: {username}, url, description,
//   clause}`.

export const MASTODON_SIGNATURE_HEADER = 'x-hub-signature';

export function signMastodon(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function sameHex(a: string, b: string): boolean {
  if (!/^[0-9a-f]+$/i.test(a) || !/^[0-9a-f]+$/i.test(b)) return false;
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyMastodon(opts: {
  secret: string;
  body: string;
  signature: string | undefined;
}): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(opts.signature?.trim() ?? '');
  if (!m?.[1]) return false;
  return sameHex(m[1], signMastodon(opts.secret, opts.body).slice('sha256='.length));
}

/** 'ok', or why the generic webhook is refused: no/old timestamp, or a bad signature. */
export function verifyGeneric(opts: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  now: Date;
}): 'ok' | 'stale' | 'signature' {
  const ts = Number(opts.timestamp);
  if (!opts.timestamp || !Number.isInteger(ts)) return 'stale';
  if (Math.abs(opts.now.getTime() / 1000 - ts) > WEBHOOK_TOLERANCE_SECONDS) return 'stale';
  const given = /^v1=([0-9a-f]{64})$/i.exec(opts.signature?.trim() ?? '')?.[1];
  if (!given) return 'signature';
  return sameHex(given, signWebhook(opts.secret, ts, opts.body)) ? 'ok' : 'signature';
}

export type IncomingReport = {
  externalId: string;
  reportedHandle: string | null;
  contentUrl: string | null;
  description: string;
  aupClause: string | null;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null;

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Maps Mastodon's `report.created` payload. Returns `ignored` for other events (answered
 * 202 so Mastodon does not retry), or the names of the fields that are missing.
 */
export function mapMastodonReport(
  payload: unknown,
):
  | { ok: true; report: IncomingReport }
  | { ok: false; ignored: true }
  | { ok: false; missing: string[] } {
  if (!isObject(payload)) return { ok: false, missing: ['event', 'object'] };
  if (payload['event'] !== 'report.created') {
    if (typeof payload['event'] === 'string') return { ok: false, ignored: true };
    return { ok: false, missing: ['event'] };
  }
  const object = payload['object'];
  if (!isObject(object)) return { ok: false, missing: ['object'] };
  const id = str(object['id']);
  const target = isObject(object['target_account']) ? object['target_account'] : null;
  const username = target ? str(target['username']) : null;
  const missing = [
    ...(id ? [] : ['object.id']),
    ...(username ? [] : ['object.target_account.username']),
  ];
  if (!id || !username) return { ok: false, missing };
  // A remote account is named with its domain, so it never matches a local member.
  const domain = target ? str(target['domain']) : null;
  const handle = domain ? `${username}@${domain}` : username;
  const statuses = Array.isArray(object['statuses']) ? object['statuses'] : [];
  const urls = statuses
    .filter(isObject)
    .map((s) => str(s['url']) ?? str(s['uri']))
    .filter((u): u is string => !!u && /^https?:\/\//.test(u));
  const rules = Array.isArray(object['rules']) ? object['rules'].filter(isObject) : [];
  const ruleIds = [
    ...rules.map((r) => str(r['id'])),
    ...(Array.isArray(object['rule_ids']) ? object['rule_ids'].map(str) : []),
  ].filter((r): r is string => !!r);
  const uniqueRules = [...new Set(ruleIds)];
  const category = str(object['category']);
  const comment = str(object['comment']);
  const lines = [
    comment ?? '',
    category ? `Mastodon category: ${category}` : '',
    ...rules.map((r) => (str(r['text']) ? `Rule ${str(r['id']) ?? ''}: ${str(r['text'])}` : '')),
    ...urls,
  ].filter(Boolean);
  return {
    ok: true,
    report: {
      externalId: clip(id, 200),
      reportedHandle: clip(handle, 200),
      contentUrl: urls[0] ? clip(urls[0], 2000) : null,
      description: clip(lines.join('\n') || 'Mastodon report', 10_000),
      aupClause: uniqueRules.length
        ? clip(`Mastodon rule ${uniqueRules.join(', ')}`, 200)
        : category
          ? `Mastodon: ${category}`
          : null,
    },
  };
}

/** Maps the generic body `{id, reported: {username}, url, description, clause}`. */
export function mapGenericReport(
  payload: unknown,
): { ok: true; report: IncomingReport } | { ok: false; missing: string[] } {
  if (!isObject(payload)) return { ok: false, missing: ['id', 'description'] };
  const id = str(payload['id']);
  const reported = isObject(payload['reported']) ? str(payload['reported']['username']) : null;
  const url = str(payload['url']);
  const description = str(payload['description']);
  const missing = [
    ...(id ? [] : ['id']),
    ...(description ? [] : ['description']),
    ...(reported || url ? [] : ['reported.username|url']),
  ];
  if (!id || !description || (!reported && !url)) return { ok: false, missing };
  if (url && !/^https?:\/\//.test(url)) return { ok: false, missing: ['url'] };
  return {
    ok: true,
    report: {
      externalId: clip(id, 200),
      reportedHandle: reported ? clip(reported, 200) : null,
      contentUrl: url ? clip(url, 2000) : null,
      description: clip(description, 10_000),
      aupClause: str(payload['clause']) ? clip(str(payload['clause'])!, 200) : null,
    },
  };
}
