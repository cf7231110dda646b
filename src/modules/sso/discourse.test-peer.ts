// A stand-in for a Discourse forum, for the DiscourseConnect tests (imported by tests only).
// It does what Discourse's DiscourseConnect / DiscourseConnectBase do: makes a random
// nonce, signs `nonce=…&return_sso_url=<forum>/session/sso_login` (base64, then
// hex HMAC-SHA256 of the base64 text), and at /session/sso_login checks the base64
// alphabet, the signature and that the nonce is one it issued and has not seen back yet.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DiscourseLogin = {
  nonce: string;
  externalId: string;
  email: string;
  username: string;
  name: string;
  requireActivation: boolean | null;
  addGroups: string[];
  removeGroups: string[];
  raw: Record<string, string>;
};

const BOOLS = new Set(['require_activation', 'admin', 'moderator', 'suppress_welcome_message']);

function hexHmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

export class DiscoursePeer {
  readonly logins: DiscourseLogin[] = [];
  readonly errors: string[] = [];
  private readonly issued = new Set<string>();
  private readonly seen = new Set<string>();
  private server: Server | null = null;
  url = '';

  constructor(readonly secret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', this.url);
      if (u.pathname !== '/session/sso_login') {
        res.writeHead(404).end();
        return;
      }
      const result = this.receive(u.search);
      if ('error' in result) {
        this.errors.push(result.error);
        res.writeHead(403, { 'content-type': 'text/plain' }).end(result.error);
        return;
      }
      this.logins.push(result.login);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.login));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The query Discourse puts on discourse_connect_url, and its nonce. */
  request(opts: { nonce?: string; returnSsoUrl?: string; secret?: string } = {}): {
    query: string;
    nonce: string;
  } {
    const nonce = opts.nonce ?? randomBytes(16).toString('hex');
    this.issued.add(nonce);
    const payload = new URLSearchParams({
      nonce,
      return_sso_url: opts.returnSsoUrl ?? `${this.url}/session/sso_login`,
    }).toString();
    const sso = Buffer.from(payload).toString('base64');
    const sig = hexHmac(opts.secret ?? this.secret, sso);
    return { query: `sso=${encodeURIComponent(sso)}&sig=${sig}`, nonce };
  }

  /** Checks an answer the way Discourse's sso_login does. */
  receive(search: string): { login: DiscourseLogin } | { error: string } {
    const params = new URLSearchParams(search);
    const sso = params.get('sso') ?? '';
    const sig = params.get('sig') ?? '';
    if (/[^a-zA-Z0-9=\r\n/+]/.test(sso)) return { error: 'payload is not base64' };
    const expected = Buffer.from(hexHmac(this.secret, sso));
    if (expected.length !== sig.length || !timingSafeEqual(expected, Buffer.from(sig)))
      return { error: 'Bad signature for payload' };
    const fields = new URLSearchParams(Buffer.from(sso, 'base64').toString('utf8'));
    const raw = Object.fromEntries(fields);
    const nonce = raw['nonce'] ?? '';
    if (!this.issued.has(nonce)) return { error: 'Nonce is incorrect, or has expired' };
    if (this.seen.has(nonce)) return { error: 'Nonce has already been used' };
    this.seen.add(nonce);
    for (const key of Object.keys(raw))
      if (BOOLS.has(key) && raw[key] !== 'true' && raw[key] !== 'false')
        return { error: `${key} is not a boolean` };
    const list = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : []);
    return {
      login: {
        nonce,
        externalId: raw['external_id'] ?? '',
        email: raw['email'] ?? '',
        username: raw['username'] ?? '',
        name: raw['name'] ?? '',
        requireActivation:
          raw['require_activation'] === undefined ? null : raw['require_activation'] === 'true',
        addGroups: list(raw['add_groups']),
        removeGroups: list(raw['remove_groups']),
        raw,
      },
    };
  }
}
