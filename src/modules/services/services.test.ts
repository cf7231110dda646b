import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { sha256 } from '../../app/crypto.js';
import { secretBox } from '../../app/secret-box.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';

const SERVICE = {
  name: 'Sky',
  slug: 'sky',
  url: 'https://sky.example.org',
  descriptionNb: 'Filer og kalender',
  descriptionEn: 'Files and calendar',
  kind: 'personal',
  software: 'nextcloud',
  loginMethod: 'oidc',
  accessPolicy: 'all_members',
  status: 'active',
  sortOrder: '1',
  connector: 'none',
};

function secretIn(html: string, id: string): string {
  const m = new RegExp(`<code class="secret" id="${id}">([A-Za-z0-9_-]+)</code>`).exec(html);
  if (!m?.[1]) throw new Error(`no ${id} on the page`);
  return m[1];
}

describeEachDialect('service catalogue, OIDC clients and setup guides', (h) => {
  let app: Running;
  let admin: TestClient;
  let plain: TestClient;
  let sysadmin: TestClient;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    admin = new TestClient(app.url);
    await admin.logIn(ADMIN.email, ADMIN.password);
    const m = await createMemberUser(h.db());
    plain = new TestClient(app.url);
    await plain.logIn(m.user.email, PASSWORD);
    const s = await createMemberUser(h.db(), { offices: ['sysadmin'] });
    sysadmin = new TestClient(app.url);
    await sysadmin.logIn(s.user.email, PASSWORD);
  });
  afterAll(async () => app.close());

  const serviceRow = (slug: string) =>
    h.db().selectFrom('services').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow();

  it('validates the service form with messages beside the fields and keeps the input', async () => {
    const { res, html } = await admin.submit('/admin/services/new', '/admin/services', {
      ...SERVICE,
      name: '',
      slug: 'Not A Slug',
      url: 'http://sky.example.org',
      accessPolicy: 'by_office',
      connector: 'mastodon',
    });
    expect(res.status).toBe(400);
    expect(html).toContain('Må fylles ut.');
    expect(html).toContain('Bruk små bokstaver a–z');
    expect(html).toContain('http:// er bare lov for localhost');
    expect(html).toContain('value="Not A Slug"');
    // Once the fields are right, the rules across fields.
    const cross = await admin.submit('/admin/services/new', '/admin/services', {
      ...SERVICE,
      accessPolicy: 'by_office',
      connector: 'mastodon',
    });
    expect(cross.res.status).toBe(400);
    expect(cross.html).toContain('Velg minst ett verv');
    expect(cross.html).toContain('Skriv adressen til admin-API-et');
    expect(await h.db().selectFrom('services').select('id').execute()).toHaveLength(0);
  });

  it('creates and edits a service; the slug is unique; the audit entry holds no secret', async () => {
    const created = await admin.submit('/admin/services/new', '/admin/services', SERVICE);
    expect(created.res.status).toBe(303);
    const row = await serviceRow('sky');
    expect(row).toMatchObject({
      name: 'Sky',
      software: 'nextcloud',
      kind: 'personal',
      sort_order: 1,
    });
    expect(row.webhook_secret_enc).toBeNull();

    const dup = await admin.submit('/admin/services/new', '/admin/services', SERVICE);
    expect(dup.res.status).toBe(409);
    expect(dup.html).toContain('Kortnavnet er allerede i bruk');

    const edit = await admin.submit(`/admin/services/${row.id}`, `/admin/services/${row.id}`, {
      ...SERVICE,
      name: 'Skyen',
      accessPolicy: 'by_office',
      office_board_member: 'on',
    });
    expect(edit.res.status).toBe(303);
    const after = await serviceRow('sky');
    expect(after.name).toBe('Skyen');
    expect(JSON.parse(after.offices)).toEqual(['board_member']);
    const audit = await h
      .db()
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('entity_id', '=', row.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['services.created', 'services.updated']);
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({
      name: 'Skyen',
      accessPolicy: 'by_office',
    });
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({ name: 'Sky' });
  });

  it('seals the connector token, webhook and DiscourseConnect secrets, shows generated ones once', async () => {
    const token = 'mastodon-admin-token-0123456789';
    const noToken = await admin.submit('/admin/services/new', '/admin/services', {
      ...SERVICE,
      name: 'Forum',
      slug: 'forum',
      software: 'discourse',
      loginMethod: 'discourse',
      connector: 'discourse',
      connectorUrl: 'https://forum.example.org',
    });
    expect(noToken.res.status).toBe(400);
    expect(noToken.html).toContain('Skriv inn API-nøkkelen');

    const { res, html } = await admin.submit('/admin/services/new', '/admin/services', {
      ...SERVICE,
      name: 'Forum',
      slug: 'forum',
      software: 'discourse',
      loginMethod: 'discourse',
      connector: 'discourse',
      connectorUrl: 'https://forum.example.org',
      connectorToken: token,
      webhookUrl: 'https://hooks.example.org/allmenning',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const webhook = secretIn(html, 'webhook-secret');
    const discourse = secretIn(html, 'discourse-secret');
    expect(html).toContain(`${app.url}/sso/discourse/forum`);

    const row = await serviceRow('forum');
    const box = secretBox(app.ctx.secret);
    expect(box.open(row.connector_token_enc!)).toBe(token);
    expect(box.open(row.webhook_secret_enc!)).toBe(webhook);
    expect(box.open(row.discourse_secret_enc!)).toBe(discourse);
    const stored = JSON.stringify(row);
    for (const s of [token, webhook, discourse]) expect(stored).not.toContain(s);

    // Never shown again; an empty token field keeps the stored one.
    const page = await admin.get(`/admin/services/${row.id}`);
    for (const s of [token, webhook, discourse]) expect(page.html).not.toContain(s);
    const kept = await admin.post(`/admin/services/${row.id}`, {
      ...SERVICE,
      name: 'Forum',
      slug: 'forum',
      software: 'discourse',
      loginMethod: 'discourse',
      connector: 'discourse',
      connectorUrl: 'https://forum.example.org',
      webhookUrl: 'https://hooks.example.org/allmenning',
    });
    expect(kept.res.status).toBe(303);
    const again = await serviceRow('forum');
    expect(box.open(again.connector_token_enc!)).toBe(token);
    expect(box.open(again.discourse_secret_enc!)).toBe(discourse);

    const audits = await h.db().selectFrom('audit_log').select(['before', 'after']).execute();
    for (const s of [token, webhook, discourse]) expect(JSON.stringify(audits)).not.toContain(s);
  });

  it('creates a client whose secret is shown once and stored only as a hash', async () => {
    const sky = await serviceRow('sky');
    const base = `/admin/services/${sky.id}/clients`;
    const { res, html } = await admin.submit(base, base, {
      name: 'Nextcloud',
      type: 'confidential',
      redirectUris: 'https://sky.example.org/apps/user_oidc/code\nhttp://127.0.0.1:8080/cb',
      backchannelLogoutUri: 'https://sky.example.org/apps/user_oidc/backchannel-logout/allmenning',
      scope_openid: 'on',
      scope_profile: 'on',
      scope_groups: 'on',
      firstParty: 'on',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const secret = secretIn(html, 'client-secret');
    const clientId = /<code class="client-id">([^<]+)<\/code>/.exec(html)![1]!;
    expect(clientId.startsWith('sky-')).toBe(true);

    const row = await h
      .db()
      .selectFrom('oidc_clients')
      .selectAll()
      .where('id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).toBe(sha256(secret));
    expect(row.secret_prefix).toBe(secret.slice(0, 6));
    expect(Object.values(row).map(String).join(' ')).not.toContain(secret);
    expect(JSON.parse(row.redirect_uris)).toEqual([
      'https://sky.example.org/apps/user_oidc/code',
      'http://127.0.0.1:8080/cb',
    ]);
    expect(JSON.parse(row.scopes)).toEqual(['openid', 'profile', 'groups']);

    const list = await admin.get(base);
    expect(list.html).toContain(clientId);
    expect(list.html).not.toContain(secret);

    // A new secret replaces the old hash; the old secret no longer matches.
    const rotated = await admin.post(`${base}/${clientId}/secret`, {});
    expect(rotated.res.status).toBe(200);
    const next = secretIn(rotated.html, 'client-secret');
    const after = await h
      .db()
      .selectFrom('oidc_clients')
      .select(['secret_hash'])
      .where('id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(after.secret_hash).toBe(sha256(next));
    expect(next).not.toBe(secret);

    // Disable deletes what the provider stored for the client.
    await h
      .db()
      .insertInto('oidc_payloads')
      .values({
        model: 'RefreshToken',
        id: 'rt-1',
        payload: '{}',
        account_id: null,
        client_id: clientId,
        grant_id: null,
        uid: null,
        user_code: null,
        expires_at: null,
        consumed_at: null,
      })
      .execute();
    await admin.get(base);
    expect((await admin.post(`${base}/${clientId}/disable`, {})).res.status).toBe(303);
    const disabled = await h
      .db()
      .selectFrom('oidc_clients')
      .select('disabled_at')
      .where('id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(disabled.disabled_at).not.toBeNull();
    expect(
      await h
        .db()
        .selectFrom('oidc_payloads')
        .select('id')
        .where('client_id', '=', clientId)
        .execute(),
    ).toHaveLength(0);
    await admin.get(base);
    await admin.post(`${base}/${clientId}/enable`, {});
  });

  it('refuses redirect URIs that are not exact https addresses', async () => {
    const sky = await serviceRow('sky');
    const base = `/admin/services/${sky.id}/clients`;
    const cases: [string, string][] = [
      ['https://sky.example.org/cb#frag', 'fragment (#…)'],
      ['https://*.example.org/cb', 'Jokertegn (*)'],
      ['http://sky.example.org/cb', 'http:// er bare lov for localhost'],
      ['/relative/cb', 'må være fullstendig'],
      ['https://a.example.org/cb\nhttps://a.example.org/cb', 'Samme adresse står to ganger'],
      ['https://user:pw@a.example.org/cb', 'brukernavn eller passord'],
      ['', 'Skriv minst én adresse'],
    ];
    for (const [uris, message] of cases) {
      const { res, html } = await admin.submit(base, base, {
        name: 'Bad',
        type: 'confidential',
        redirectUris: uris,
        scope_openid: 'on',
      });
      expect(res.status, uris).toBe(400);
      expect(html, uris).toContain(message);
    }
    const badBcl = await admin.submit(base, base, {
      name: 'Bad',
      type: 'public',
      redirectUris: 'http://[::1]:9000/cb',
      backchannelLogoutUri: 'http://sky.example.org/logout',
      scope_profile: 'on',
    });
    expect(badBcl.res.status).toBe(400);
    expect(badBcl.html).toContain('Scopet openid må være med');
    expect(badBcl.html).toContain('http:// er bare lov for localhost');
    const count = await h
      .db()
      .selectFrom('oidc_clients')
      .select('id')
      .where('name', '=', 'Bad')
      .execute();
    expect(count).toHaveLength(0);

    // A public loopback client is fine, and gets no secret.
    const ok = await admin.submit(base, base, {
      name: 'App',
      type: 'public',
      redirectUris: 'http://localhost:3000/callback',
      scope_openid: 'on',
    });
    expect(ok.res.status).toBe(303);
    const app_ = await h
      .db()
      .selectFrom('oidc_clients')
      .select(['secret_hash', 'secret_prefix'])
      .where('name', '=', 'App')
      .executeTakeFirstOrThrow();
    expect(app_).toEqual({ secret_hash: null, secret_prefix: null });
  });

  it('fills the setup guide with the issuer, discovery URL and client id', async () => {
    const sky = await serviceRow('sky');
    const client = await h
      .db()
      .selectFrom('oidc_clients')
      .select('id')
      .where('name', '=', 'Nextcloud')
      .executeTakeFirstOrThrow();
    const { res, html } = await admin.get(`/admin/services/${sky.id}/setup`);
    expect(res.status).toBe(200);
    expect(html).toContain(`<code id="issuer">${app.url}/oidc</code>`);
    expect(html).toContain(`${app.url}/oidc/.well-known/openid-configuration`);
    expect(html).toContain(`--clientid=&quot;${client.id}&quot;`);
    expect(html).toContain('--unique-uid=0');
    expect(html).toContain('--mapping-uid=preferred_username');
    expect(html).toContain('https://sky.example.org/apps/user_oidc/code');

    const forum = await serviceRow('forum');
    const d = await admin.get(`/admin/services/${forum.id}/setup`);
    expect(d.html).toContain(`${app.url}/sso/discourse/forum`);
    expect(d.html).toContain('enable discourse connect');
  });

  it('lets a sysadmin manage services, and gives 403 to a member without the office on every admin page', async () => {
    expect((await sysadmin.get('/admin/services')).res.status).toBe(200);
    const sky = await serviceRow('sky');
    const client = await h
      .db()
      .selectFrom('oidc_clients')
      .select('id')
      .where('name', '=', 'Nextcloud')
      .executeTakeFirstOrThrow();
    const gets = [
      '/admin/services',
      '/admin/services/new',
      '/admin/services/requests',
      `/admin/services/${sky.id}`,
      `/admin/services/${sky.id}/access`,
      `/admin/services/${sky.id}/clients`,
      `/admin/services/${sky.id}/clients/${client.id}`,
      `/admin/services/${sky.id}/setup`,
    ];
    for (const path of gets) expect((await plain.get(path)).res.status, path).toBe(403);
    await plain.get('/services');
    const posts = [
      '/admin/services',
      `/admin/services/${sky.id}`,
      `/admin/services/${sky.id}/access/grant`,
      `/admin/services/requests/${sky.id}`,
      `/admin/services/${sky.id}/clients`,
      `/admin/services/${sky.id}/clients/${client.id}`,
      `/admin/services/${sky.id}/clients/${client.id}/secret`,
      `/admin/services/${sky.id}/clients/${client.id}/disable`,
    ];
    for (const path of posts)
      expect((await plain.post(path, { ...SERVICE, name: 'Hacked' })).res.status, path).toBe(403);
    expect((await serviceRow('sky')).name).toBe('Skyen');
    // Without a session, the admin pages lead to the login page.
    const anon = new TestClient(app.url);
    expect((await anon.get('/admin/services')).res.status).toBe(303);
  });

  it("links the services from the administrators' index", async () => {
    const { html } = await admin.get('/admin');
    expect(html).toContain('href="/admin/services"');
  });
});
