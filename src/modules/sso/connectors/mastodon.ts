import { apiUrl, callApi, ConnectorError } from './http.js';
import type { ConnectorCall, ConnectorResult, EnforcementConnector } from './types.js';

// Mastodon's admin API (docs.joinmastodon.org/methods/admin/accounts): the token belongs
// to a moderator or admin account and needs the scopes admin:read:accounts and
// admin:write:accounts (or admin:read and admin:write).
//   find:      GET  /api/v1/admin/accounts?local=true&username=<handle>
//              (a prefix match; the exact, case-insensitive username is picked out)
//   suspend:   POST /api/v1/admin/accounts/:id/action  type=disable, text=<note>,
//              send_email_notification=false  (freezes the login; reversible)
//   reinstate: POST /api/v1/admin/accounts/:id/enable

type AdminAccount = { id: string; username: string; domain: string | null };

async function findAccount(call: ConnectorCall): Promise<AdminAccount | null> {
  const handle = call.subject.handle;
  if (!handle) return null;
  const res = await callApi({
    method: 'GET',
    url: apiUrl(call.baseUrl, '/api/v1/admin/accounts', { local: 'true', username: handle }),
    headers: { authorization: `Bearer ${call.token}` },
    ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
  });
  if (!Array.isArray(res.json))
    throw new ConnectorError('GET /api/v1/admin/accounts: unexpected answer');
  const wanted = handle.toLowerCase();
  const found = (res.json as AdminAccount[]).find(
    (a) => typeof a.username === 'string' && a.username.toLowerCase() === wanted && !a.domain,
  );
  return found ?? null;
}

async function act(
  call: ConnectorCall,
  path: (id: string) => string,
  form: Record<string, string> | null,
  what: string,
): Promise<ConnectorResult> {
  const account = await findAccount(call);
  if (!account) return { outcome: 'not_found', detail: 'no local account with this username' };
  const id = encodeURIComponent(account.id);
  await callApi({
    method: 'POST',
    url: apiUrl(call.baseUrl, path(id)),
    headers: { authorization: `Bearer ${call.token}` },
    ...(form ? { body: { form } } : {}),
    ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
  });
  return { outcome: 'done', detail: `account ${account.id} ${what}` };
}

export const mastodonConnector: EnforcementConnector = {
  suspend: (call) =>
    act(
      call,
      (id) => `/api/v1/admin/accounts/${id}/action`,
      { type: 'disable', text: call.note, send_email_notification: 'false' },
      'disabled',
    ),
  reinstate: (call) => act(call, (id) => `/api/v1/admin/accounts/${id}/enable`, null, 'enabled'),
};
