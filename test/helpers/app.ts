import type { Logger } from 'pino';
import pino from 'pino';
import { startServer, type Running } from '../../src/app/bootstrap.js';
import type { Clock } from '../../src/app/clock.js';
import { testConfig, type Config } from '../../src/app/config.js';
import type { Database } from '../../src/app/db.js';
import { runSetup } from '../../src/modules/association/association.usecases.js';
import { setupSchema } from '../../src/modules/association/association.schemas.js';

export const silentLogger: Logger = pino({ level: 'silent' });

/** Serves the real app on a loopback port against the given database. */
export async function startTestApp(opts: {
  database: Database;
  clock?: Clock;
  smtpUrl?: string;
  config?: Partial<Config>;
}): Promise<Running> {
  const config = testConfig({ port: 0, host: '127.0.0.1', smtpUrl: opts.smtpUrl, ...opts.config });
  const running = await startServer({
    config,
    database: opts.database,
    logger: silentLogger,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  // Links in mail must point at this server.
  running.ctx.config.baseUrl = running.url;
  return running;
}

export const ADMIN = {
  email: 'admin@example.org',
  password: 'correct horse battery',
  handle: 'ada',
  name: 'Ada Admin',
};

/** Runs setup directly (the setup page has its own test). */
export async function setUpAssociation(running: Running, overrides: Record<string, string> = {}) {
  const input = setupSchema.parse({
    name: 'Datafellesskapet Test',
    org_number: '',
    year_start_month: '1',
    time_zone: 'Europe/Oslo',
    default_locale: 'nb',
    require_approval: 'on',
    admin_name: ADMIN.name,
    admin_handle: ADMIN.handle,
    admin_email: ADMIN.email,
    admin_password: ADMIN.password,
    admin_is_member: 'on',
    ...overrides,
  });
  return runSetup(running.ctx, input);
}

/**
 * A minimal browser over real HTTP: keeps cookies, reads the CSRF token from the last
 * page, follows nothing by itself so tests can assert redirects.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();
  lastHtml = '';
  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    init: {
      body?: string | URLSearchParams | FormData | Blob;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const res: Response = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
        ...init.headers,
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    this.keepCookies(res);
    return res;
  }

  async get(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ res: Response; html: string }> {
    const res = await this.request('GET', path, { headers });
    const html = await res.text();
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = html;
    return { res, html };
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m?.[1]) throw new Error('no CSRF token on the last page');
    return m[1];
  }

  /** Posts a form with the CSRF token of the last page fetched (unless one is given). */
  async post(
    path: string,
    form: Record<string, string>,
    opts: { csrf?: string | null } = {},
  ): Promise<{ res: Response; html: string }> {
    const body = new URLSearchParams(form);
    const token = opts.csrf === undefined ? this.csrf() : opts.csrf;
    if (token !== null) body.set('_csrf', token);
    const res = await this.request('POST', path, {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const html = await res.text();
    if ((res.headers.get('content-type') ?? '').includes('text/html')) this.lastHtml = html;
    return { res, html };
  }

  /** Fetches a page first (for its CSRF token), then posts the form. */
  async submit(pagePath: string, action: string, form: Record<string, string>) {
    await this.get(pagePath);
    return this.post(action, form);
  }

  async logIn(email: string, password: string): Promise<Response> {
    const { res } = await this.submit('/login', '/login', { email, password });
    if (res.status !== 303) throw new Error(`login failed with ${res.status}`);
    return res;
  }
}
