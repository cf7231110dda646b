import { apiUrl, callApi, ConnectorError } from './http.js';
import type { ConnectorCall, ConnectorResult, EnforcementConnector } from './types.js';

// Discourse's admin API (docs.discourse.org), with an admin API key (scope: global, or
// granular "users: suspend, unsuspend, log out, show") sent as the Api-Key header and
// Api-Username: system.
//   find:      GET  /u/by-external/<sub>.json   (DiscourseConnect's external_id is the sub)
//   suspend:   PUT  /admin/users/<id>/suspend.json {suspend_until, reason}
//              POST /admin/users/<id>/log_out.json
//   reinstate: PUT  /admin/users/<id>/unsuspend.json
// Discourse has no "suspended forever"; its own "forever" is a date far ahead, and so
// is this one (100 years); reinstatement lifts it.

const FOREVER_YEARS = 100;

type Found = { id: number; username: string };

async function findUser(call: ConnectorCall, headers: Record<string, string>) {
  const sub = call.subject.sub;
  if (!sub) return null;
  const res = await callApi({
    method: 'GET',
    url: apiUrl(call.baseUrl, `/u/by-external/${encodeURIComponent(sub)}.json`),
    headers,
    accept: (s) => (s >= 200 && s < 300) || s === 404,
    ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
  });
  if (res.status === 404) return null;
  const user = (res.json as { user?: Found } | null)?.user;
  if (!user || typeof user.id !== 'number')
    throw new ConnectorError('GET /u/by-external: unexpected answer');
  return user;
}

async function run(call: ConnectorCall, suspend: boolean): Promise<ConnectorResult> {
  const headers = { 'api-key': call.token, 'api-username': 'system' };
  const timeout = call.timeoutMs ? { timeoutMs: call.timeoutMs } : {};
  const user = await findUser(call, headers);
  if (!user) return { outcome: 'not_found', detail: 'no user with this external id' };
  if (suspend) {
    const until = new Date(call.now);
    until.setUTCFullYear(until.getUTCFullYear() + FOREVER_YEARS);
    await callApi({
      method: 'PUT',
      url: apiUrl(call.baseUrl, `/admin/users/${user.id}/suspend.json`),
      headers,
      body: { json: { suspend_until: until.toISOString(), reason: call.note } },
      ...timeout,
    });
    await callApi({
      method: 'POST',
      url: apiUrl(call.baseUrl, `/admin/users/${user.id}/log_out.json`),
      headers,
      ...timeout,
    });
    return { outcome: 'done', detail: `user ${user.id} suspended and logged out` };
  }
  await callApi({
    method: 'PUT',
    url: apiUrl(call.baseUrl, `/admin/users/${user.id}/unsuspend.json`),
    headers,
    ...timeout,
  });
  return { outcome: 'done', detail: `user ${user.id} unsuspended` };
}

export const discourseConnector: EnforcementConnector = {
  suspend: (call) => run(call, true),
  reinstate: (call) => run(call, false),
};
