import { apiUrl, callApi } from './http.js';
import type { ConnectorCall, ConnectorResult, EnforcementConnector } from './types.js';

// Forgejo's (and Gitea's) admin API (/api/swagger), with an access token of a site
// administrator with the scope write:admin, sent as "Authorization: token <token>".
//   find:      GET   /api/v1/users/<username>  (404: no such user; gives login_name, source_id)
//   suspend:   PATCH /api/v1/admin/users/<username> {"prohibit_login": true, …}
//   reinstate: PATCH /api/v1/admin/users/<username> {"prohibit_login": false, …}
// Current Forgejo treats every field of EditUserOption as optional; older Gitea and
// Forgejo releases required login_name and source_id, so they are sent back as read.
// A user with prohibit_login set cannot sign in, and Forgejo refuses their tokens.

type ForgejoUser = { login: string; login_name?: string; source_id?: number };

async function setProhibited(call: ConnectorCall, prohibit: boolean): Promise<ConnectorResult> {
  const handle = call.subject.handle;
  if (!handle) return { outcome: 'not_found', detail: 'the member has no username' };
  const headers = { authorization: `token ${call.token}` };
  const timeout = call.timeoutMs ? { timeoutMs: call.timeoutMs } : {};
  const found = await callApi({
    method: 'GET',
    url: apiUrl(call.baseUrl, `/api/v1/users/${encodeURIComponent(handle)}`),
    headers,
    accept: (s) => (s >= 200 && s < 300) || s === 404,
    ...timeout,
  });
  if (found.status === 404) return { outcome: 'not_found', detail: 'no user with this username' };
  const user = (found.json ?? {}) as ForgejoUser;
  const login = typeof user.login === 'string' ? user.login : handle;
  await callApi({
    method: 'PATCH',
    url: apiUrl(call.baseUrl, `/api/v1/admin/users/${encodeURIComponent(login)}`),
    headers,
    body: {
      json: {
        prohibit_login: prohibit,
        login_name: user.login_name || login,
        source_id: user.source_id ?? 0,
      },
    },
    ...timeout,
  });
  return { outcome: 'done', detail: `${login} ${prohibit ? 'prohibited' : 'allowed'} to log in` };
}

export const forgejoConnector: EnforcementConnector = {
  suspend: (call) => setProhibited(call, true),
  reinstate: (call) => setProhibited(call, false),
};
