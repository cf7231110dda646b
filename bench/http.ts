import { createServer } from 'node:net';

/** A browser in miniature: keeps cookies, finds the CSRF token on the last page. */
export class BenchClient {
  private readonly cookies = new Map<string, string>();
  private lastHtml = '';
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: URLSearchParams): Promise<Response> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    return res;
  }

  /** GETs a page and reads it to the end; returns the status and the time it took. */
  async timedGet(path: string): Promise<{ status: number; ms: number; html: string }> {
    const started = performance.now();
    const res = await this.request('GET', path);
    const html = await res.text();
    const ms = performance.now() - started;
    this.lastHtml = html;
    return { status: res.status, ms, html };
  }

  async logIn(email: string, password: string): Promise<void> {
    await this.timedGet('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml)?.[1];
    if (!csrf) throw new Error('no CSRF token on /login');
    const res = await this.request(
      'POST',
      '/login',
      new URLSearchParams({ email, password, _csrf: csrf }),
    );
    await res.text();
    if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  }
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
