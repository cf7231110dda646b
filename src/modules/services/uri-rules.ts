// The rules for every address Allmenning sends people or tokens to: redirect and
// post-logout redirect URIs, back-channel logout URIs, connector and webhook URLs. A
// redirect URI is compared character for character at login, so it is checked here
// exactly as it will be stored: absolute, https (plain http only on the loopback
// interface), no fragment, no wildcard, no user name or password.

/** Why an address is refused: a message key of clients.messages.ts. */
export type UriProblem =
  | 'clients.uri.not_absolute'
  | 'clients.uri.https_required'
  | 'clients.uri.fragment'
  | 'clients.uri.wildcard'
  | 'clients.uri.credentials'
  | 'clients.uri.duplicate';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** The problem with one address, or null when it may be stored as written. */
export function uriProblem(raw: string): UriProblem | null {
  if (raw.includes('*')) return 'clients.uri.wildcard';
  if (raw.includes('#')) return 'clients.uri.fragment';
  if (/\s/.test(raw)) return 'clients.uri.not_absolute';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'clients.uri.not_absolute';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'clients.uri.https_required';
  if (!url.hostname) return 'clients.uri.not_absolute';
  if (url.username || url.password) return 'clients.uri.credentials';
  if (url.protocol === 'http:' && !isLoopback(url)) return 'clients.uri.https_required';
  return null;
}

/** Splits a textarea into addresses (one a line), and finds the first problem. */
export function parseUriList(text: string): { uris: string[]; problem: UriProblem | null } {
  const uris = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const seen = new Set<string>();
  for (const uri of uris) {
    const problem = uriProblem(uri);
    if (problem) return { uris, problem };
    if (seen.has(uri)) return { uris, problem: 'clients.uri.duplicate' };
    seen.add(uri);
  }
  return { uris, problem: null };
}
