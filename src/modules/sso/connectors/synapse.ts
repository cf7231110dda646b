import { apiUrl, callApi } from './http.js';
import type { ConnectorCall, ConnectorResult, EnforcementConnector } from './types.js';

// Synapse's admin API (element-hq.github.io/synapse/latest/admin_api/user_admin_api.html),
// with the access token of a server admin.
//   find:      GET /_synapse/admin/v2/users/<user_id>          (404: no such user)
//   suspend:   PUT /_synapse/admin/v2/users/<user_id> {"locked": true}
//   reinstate: PUT /_synapse/admin/v2/users/<user_id> {"locked": false}
// A locked account can neither log in nor use its access tokens, and unlocking restores
// it as it was: devices and their end-to-end encryption keys are kept (deleting devices
// would destroy the member's message history keys). The user is looked up first because
// PUT on an unknown id would create an account.
//
// The Matrix user id is @<handle>:<server_name>. The server name is often not the host
// the API answers on (example.org vs matrix.example.org), so it is taken from the
// fragment of the connector URL when there is one — https://matrix.example.org#example.org
// — and from the URL's host name otherwise. The fragment is never sent over HTTP.

export function serverNameOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  const fragment = decodeURIComponent(url.hash.replace(/^#/, '')).trim();
  return fragment || url.host;
}

export function matrixUserId(handle: string, baseUrl: string): string {
  return `@${handle.toLowerCase()}:${serverNameOf(baseUrl)}`;
}

async function setLocked(call: ConnectorCall, locked: boolean): Promise<ConnectorResult> {
  const handle = call.subject.handle;
  if (!handle) return { outcome: 'not_found', detail: 'the member has no username' };
  const userId = matrixUserId(handle, call.baseUrl);
  const path = `/_synapse/admin/v2/users/${encodeURIComponent(userId)}`;
  const headers = { authorization: `Bearer ${call.token}` };
  const timeout = call.timeoutMs ? { timeoutMs: call.timeoutMs } : {};
  const found = await callApi({
    method: 'GET',
    url: apiUrl(call.baseUrl, path),
    headers,
    accept: (s) => (s >= 200 && s < 300) || s === 404,
    ...timeout,
  });
  if (found.status === 404) return { outcome: 'not_found', detail: `no user ${userId}` };
  await callApi({
    method: 'PUT',
    url: apiUrl(call.baseUrl, path),
    headers,
    body: { json: { locked } },
    ...timeout,
  });
  return { outcome: 'done', detail: `${userId} ${locked ? 'locked' : 'unlocked'}` };
}

export const synapseConnector: EnforcementConnector = {
  suspend: (call) => setLocked(call, true),
  reinstate: (call) => setLocked(call, false),
};
