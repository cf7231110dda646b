import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { recordAudit } from '../../app/audit.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import {
  createMember,
  createMemberUser,
  createUser,
  PASSWORD,
} from '../../../test/helpers/fixtures.js';

describeEachDialect('member profile and data download', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
  });
  afterAll(async () => app.close());

  const db = () => h.db();

  it('sends visitors who are not logged in to the login page', async () => {
    const client = new TestClient(app.url);
    for (const path of ['/membership/profile', '/membership/data.json', '/membership/erase']) {
      const { res } = await client.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('answers 404 on the profile page for an account without a membership', async () => {
    const user = await createUser(db());
    const client = new TestClient(app.url);
    await client.logIn(user.email, PASSWORD);
    const { res, html } = await client.get('/membership/profile');
    expect(res.status).toBe(404);
    expect(html).toContain('ikke noe medlemskap');
    // The data download still works, with the account and no member.
    const download = await client.request('GET', '/membership/data.json');
    const data = (await download.json()) as { account: { email: string }; member: unknown };
    expect(data.account.email).toBe(user.email);
    expect(data.member).toBeNull();
  });

  it('edits own contact details, validates them, keeps search text and audits', async () => {
    const { user, member } = await createMemberUser(db(), { name: 'Per Person' });
    const client = new TestClient(app.url);
    await client.logIn(user.email, PASSWORD);
    const form = await client.get('/membership/profile');
    expect(form.res.status).toBe(200);
    expect(form.html).toContain('value="Per Person"');
    expect(form.html).toContain(user.email);
    expect(form.html).toContain('href="/account"');
    expect(form.html).not.toContain('name="org_number"');

    const bad = await client.post('/membership/profile', {
      name: '',
      phone: 'call me',
      city: 'Bergen',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Må fylles ut.');
    expect(bad.html).toContain('gyldig telefonnummer');
    expect(bad.html).toContain('value="Bergen"');
    expect(bad.html).toContain('aria-invalid="true"');
    const unchanged = await db()
      .selectFrom('members')
      .selectAll()
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(unchanged.city).toBeNull();

    const ok = await client.post('/membership/profile', {
      name: 'Per Persen',
      phone: '+47 912 34 567',
      address_line: 'Storgata 1',
      postal_code: '0155',
      city: 'Oslo',
      country: 'Norge',
      org_number: '974760673', // ignored for a person
    });
    expect(ok.res.status).toBe(303);
    const row = await db()
      .selectFrom('members')
      .selectAll()
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Per Persen',
      phone: '+47 912 34 567',
      address_line: 'Storgata 1',
      postal_code: '0155',
      city: 'Oslo',
      country: 'Norge',
      org_number: null,
      email: user.email,
    });
    expect(row.search_text).toContain('per persen');
    expect(row.search_text).not.toContain('per person ');
    const audit = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'members.profile_updated')
      .where('entity_id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before!)).toMatchObject({ name: 'Per Person', phone: null });
    expect(JSON.parse(audit.after!)).toMatchObject({ name: 'Per Persen', city: 'Oslo' });
    expect(audit.actor_user_id).toBe(user.id);
  });

  it('lets an organisation member set a valid organisation number only', async () => {
    const user = await createUser(db());
    const member = await createMember(db(), {
      userId: user.id,
      email: user.email,
      name: 'Lag og Forening',
      typeCode: 'organisation',
    });
    const client = new TestClient(app.url);
    await client.logIn(user.email, PASSWORD);
    const form = await client.get('/membership/profile');
    expect(form.html).toContain('name="org_number"');
    expect(form.html).toContain('name="contact_person"');
    const bad = await client.post('/membership/profile', {
      name: 'Lag og Forening',
      org_number: '123456789',
      contact_person: 'Kari',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Organisasjonsnummeret er ugyldig');
    expect(bad.html).toContain('value="Kari"');
    const ok = await client.post('/membership/profile', {
      name: 'Lag og Forening',
      org_number: '974 760 673',
      contact_person: 'Kari',
    });
    expect(ok.res.status).toBe(303);
    const row = await db()
      .selectFrom('members')
      .select(['org_number', 'contact_person', 'search_text'])
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ org_number: '974760673', contact_person: 'Kari' });
    expect(row.search_text).toContain('974760673');
  });

  describe('download my data', () => {
    it('contains own data only, without secrets, as an attachment', async () => {
      const a = await createMemberUser(db(), { name: 'Anne Alfa' });
      const b = await createMemberUser(db(), { name: 'Bernt Beta' });
      const client = new TestClient(app.url);
      await client.logIn(a.user.email, PASSWORD);
      const res = await client.request('GET', '/membership/data.json');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.json"$/);
      const text = await res.text();
      const data = JSON.parse(text) as Record<string, unknown> & {
        account: { email: string };
        member: { memberNumber: number; name: string };
        sessions: Record<string, unknown>[];
        statusHistory: unknown[];
        auditLog: { action: string }[];
      };
      expect(data['schema']).toBe('allmenning.personal-data/1');
      expect(typeof data['generatedAt']).toBe('string');
      expect(data.account.email).toBe(a.user.email);
      expect(data.member.memberNumber).toBe(a.member.memberNumber);
      expect(data.statusHistory).toHaveLength(1);
      expect(data.sessions.length).toBeGreaterThan(0);
      expect(Object.keys(data.sessions[0]!)).not.toContain('id');
      expect(data.auditLog.some((e) => e.action === 'accounts.logged_in')).toBe(true);
      for (const key of [
        'account',
        'member',
        'membershipPeriods',
        'documentAcceptances',
        'officeTerms',
        'apiTokens',
        'emails',
      ])
        expect(data).toHaveProperty(key);
      expect(text).not.toContain(b.user.email);
      expect(text).not.toContain('Bernt Beta');
      expect(text).not.toMatch(/password_?hash|passwordHash|token_hash|\$argon2/i);
    });

    it("gives an administrator the fact of their actions on others, not the others' data", async () => {
      const other = await createMember(db(), { name: 'Olga Other', email: 'olga@example.org' });
      const ada = await db()
        .selectFrom('users')
        .select('id')
        .where('handle', '=', ADMIN.handle)
        .executeTakeFirstOrThrow();
      await recordAudit(db(), {
        actor: { userId: ada.id, label: ADMIN.handle },
        action: 'members.updated',
        entityType: 'member',
        entityId: other.id,
        before: { email: 'old-olga@example.org' },
        after: { email: 'olga@example.org', name: 'Olga Other' },
        at: new Date(),
      });
      const client = new TestClient(app.url);
      await client.logIn(ADMIN.email, ADMIN.password);
      const res = await client.request('GET', '/membership/data.json');
      const text = await res.text();
      const data = JSON.parse(text) as { auditLog: { action: string; entityId: string }[] };
      expect(data.auditLog.some((e) => e.entityId === other.id)).toBe(true);
      expect(text).not.toContain('olga@example.org');
      expect(text).not.toContain('Olga Other');
    });
  });
});
