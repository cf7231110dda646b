// One careful way to call another service's admin API: a timeout on every request, no
// redirects followed (an admin token must not travel to another host), and errors that
// name the method, path and status only, never a token, a header or a response body, so
// that what lands in the log, the outbox and service_enforcements.last_error holds no
// secret.

export const DEFAULT_TIMEOUT_MS = 10_000;

/** An error safe to show to administrators and to log. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

export type ApiResponse = { status: number; json: unknown };

/** Joins a base URL (which may carry a path prefix) and an API path; drops any fragment. */
export function apiUrl(base: string, path: string, query?: Record<string, string>): URL {
  const url = new URL(base);
  url.hash = '';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = query ? new URLSearchParams(query).toString() : '';
  return url;
}

/**
 * Calls the API; resolves for every status in `accept` (default: 2xx), throws a
 * ConnectorError otherwise or when the peer does not answer within the timeout.
 */
export async function callApi(opts: {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: { json: unknown } | { form: Record<string, string> };
  timeoutMs?: number;
  accept?: (status: number) => boolean;
}): Promise<ApiResponse> {
  const label = `${opts.method} ${opts.url.pathname}`;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (opts.body && 'json' in opts.body) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body.json);
  } else if (opts.body && 'form' in opts.body) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(opts.body.form).toString();
  }
  let res: Response;
  try {
    res = await fetch(opts.url, {
      method: opts.method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      ...(body !== undefined ? { body } : {}),
    });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError')
      throw new ConnectorError(
        `${label}: no answer within ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms`,
      );
    const cause: (Error & { code?: string }) | null =
      err instanceof Error && err.cause instanceof Error ? err.cause : null;
    const code = cause?.code;
    throw new ConnectorError(`${label}: ${code ?? 'network error'}`);
  }
  const accept = opts.accept ?? ((s: number) => s >= 200 && s < 300);
  const text = await res.text().catch(() => '');
  if (!accept(res.status)) throw new ConnectorError(`${label}: HTTP ${res.status}`, res.status);
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = null;
    }
  }
  return { status: res.status, json };
}
