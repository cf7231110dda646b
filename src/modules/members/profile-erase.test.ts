import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { recordAudit } from '../../app/audit.js';
import { sha256 } from '../../app/crypto.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail } from '../../app/outbox.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { insertApiToken } from '../api/api-tokens.repository.js';
import { insertPeriod } from './members.repository.js';

describeEachDialect('erasure of a member', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
  });
  afterAll(async () => app.close());
  const db = () => h.db();

  it('refuses without the password or the confirmation, changing nothing', async () => {
    const { user } = await createMemberUser(db());
    const client = new TestClient(app.url);
    await client.logIn(user.email, PASSWORD);
    const page = await client.get('/membership/erase');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('name="current_password"');
    expect(page.html).toContain('fem år');
    const noBox = await client.post('/membership/erase', { current_password: PASSWORD });
    expect(noBox.res.status).toBe(400);
    expect(noBox.html).toContain('Kryss av for å bekrefte');
    const wrong = await client.post('/membership/erase', {
      current_password: 'wrong password!',
      confirm: 'on',
    });
    expect(wrong.res.status).toBe(400);
    expect(wrong.html).toContain('Nåværende passord er feil');
    expect(
      await db().selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst(),
    ).toBeDefined();
  });

  it('refuses to erase the only administrator', async () => {
    const client = new TestClient(app.url);
    await client.logIn(ADMIN.email, ADMIN.password);
    await client.get('/membership/erase');
    const res = await client.post('/membership/erase', {
      current_password: ADMIN.password,
      confirm: 'on',
    });
    expect(res.res.status).toBe(409);
    expect(res.html).toContain('eneste administratoren');
  });

  it('erases personal data everywhere, keeps the accounting records, and logs out', async () => {
    const { user, member } = await createMemberUser(db(), { name: 'Eva Erasmussen' });
    const now = new Date();
    await insertPeriod(
      db(),
      {
        id: newId(),
        memberId: member.id,
        year: 2026,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
        paidAt: now.toISOString(),
      },
      now,
    );
    await insertApiToken(
      db(),
      {
        id: newId(),
        userId: user.id,
        name: 'script',
        tokenHash: sha256('alm_erase-test-token'),
        prefix: 'erase-te',
        scopes: ['members:read'],
        createdBy: user.id,
        expiresAt: null,
      },
      now,
    );
    // She changed her address once: the old one is in the log and got mail.
    await recordAudit(db(), {
      actor: { userId: user.id, label: user.handle },
      action: 'accounts.email_changed',
      entityType: 'user',
      entityId: user.id,
      before: { email: 'old-eva@example.org' },
      after: { email: user.email },
      at: now,
    });
    await enqueueEmail(db(), {
      message: { to: 'old-eva@example.org', subject: 'Address changed', text: 'Hei Eva' },
      at: now,
    });
    // A mail to a board member that quotes her address.
    await enqueueEmail(db(), {
      message: {
        to: 'board@example.org',
        subject: 'New application',
        text: `Eva Erasmussen <${user.email}> has applied.`,
      },
      at: now,
    });

    const client = new TestClient(app.url);
    await client.logIn(user.email, PASSWORD);
    await client.submit('/membership/profile', '/membership/profile', {
      name: 'Eva Erasmussen',
      phone: '+47 99 88 77 66',
      address_line: 'Hemmeligveien 7',
      postal_code: '5003',
      city: 'Bergen',
      country: 'Norge',
    });
    // A failed login leaves a rate-limit row keyed by her address.
    const stranger = new TestClient(app.url);
    await stranger.submit('/login', '/login', { email: user.email, password: 'not her password' });
    expect(
      await db()
        .selectFrom('login_attempts')
        .select('id')
        .where('key', '=', `acct:${user.email}`)
        .execute(),
    ).toHaveLength(1);
    // A mail to her (password reset).
    await new TestClient(app.url).submit('/forgot-password', '/forgot-password', {
      email: user.email,
    });
    expect(
      (await db().selectFrom('outbox').select('id').where('recipient', '=', user.email).execute())
        .length,
    ).toBeGreaterThan(0);

    await client.get('/membership/erase');
    const done = await client.post('/membership/erase', {
      current_password: PASSWORD,
      confirm: 'on',
    });
    expect(done.res.status).toBe(303);
    expect(done.res.headers.get('location')).toBe('/');
    expect(client.cookies.has('alm_session')).toBe(false);
    // Checked before the login below, which (failing) records a fresh attempt.
    const attempts = await db()
      .selectFrom('login_attempts')
      .select('id')
      .where('key', '=', `acct:${user.email}`)
      .execute();
    expect(attempts).toHaveLength(0);
    const after = await client.get('/membership/profile');
    expect(after.res.status).toBe(303);
    expect(after.res.headers.get('location')).toContain('/login');
    await client.get('/login');
    const login = await client.post('/login', { email: user.email, password: PASSWORD });
    expect(login.res.status).toBe(401);

    // The account and everything hanging on it.
    for (const table of ['sessions', 'api_tokens', 'user_tokens'] as const) {
      const rows = await db()
        .selectFrom(table)
        .select('id')
        .where('user_id', '=', user.id)
        .execute();
      expect(rows, table).toHaveLength(0);
    }
    expect(
      await db().selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst(),
    ).toBeUndefined();

    // The member row: number and dates kept, personal data gone, membership ended.
    const row = await db()
      .selectFrom('members')
      .selectAll()
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      member_number: member.memberNumber,
      name: `Slettet medlem #${member.memberNumber}`,
      user_id: null,
      email: null,
      phone: null,
      address_line: null,
      postal_code: null,
      city: null,
      country: null,
      org_number: null,
      contact_person: null,
      application_note: null,
      status: 'resigned',
    });
    expect(row.erased_at).not.toBeNull();
    expect(row.search_text).toBe(`slettet medlem #${member.memberNumber}  ${member.memberNumber} `);

    const history = await db()
      .selectFrom('member_status_changes')
      .selectAll()
      .where('member_id', '=', member.id)
      .orderBy('at')
      .execute();
    expect(history.map((s) => s.to_status)).toEqual(['active', 'resigned']);
    expect(history[1]).toMatchObject({ from_status: 'active', reason: 'erasure' });
    const periods = await db()
      .selectFrom('membership_periods')
      .select('year')
      .where('member_id', '=', member.id)
      .execute();
    expect(periods).toEqual([{ year: 2026 }]);

    // No trace of her in the audit log, the outbox or the login attempts.
    const needles = [
      user.email,
      'old-eva@example.org',
      'Eva Erasmussen',
      '99 88 77 66',
      'Hemmeligveien',
      user.handle,
    ];
    const audit = await db().selectFrom('audit_log').selectAll().execute();
    for (const entry of audit) {
      const text = JSON.stringify(entry);
      for (const n of needles) expect(text, `${entry.action}: ${n}`).not.toContain(n);
    }
    const erased = audit.find((e) => e.action === 'members.erased');
    expect(erased).toMatchObject({ entity_type: 'member', entity_id: member.id });
    expect(erased?.actor_user_id).toBeNull();
    const profileEntry = audit.find(
      (e) => e.action === 'members.profile_updated' && e.entity_id === member.id,
    );
    expect(JSON.parse(profileEntry!.after!)).toMatchObject({ city: '[erased]' });

    const outbox = await db().selectFrom('outbox').selectAll().execute();
    for (const mail of outbox) {
      const text = JSON.stringify(mail);
      for (const n of needles) expect(text, n).not.toContain(n);
    }
    expect(outbox.some((m) => m.recipient === 'board@example.org')).toBe(true);
    const held = outbox.filter((m) => m.recipient === null);
    expect(held.length).toBeGreaterThan(0);
    expect(held.every((m) => m.status === 'failed' || m.status === 'sent')).toBe(true);
  });
});
