import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { sha256 } from '../../app/crypto.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { linkIn, startSmtpServer } from '../../../test/helpers/smtp.js';

describeEachDialect('accounts', (h) => {
  let app: Running;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = fixedClock('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    smtp = await startSmtpServer();
    app = await startTestApp({
      database: h.database(),
      clock,
      smtpUrl: smtp.url,
      config: { loginMaxPerAccount: 3, loginMaxPerIp: 6 },
    });
    await setUpAssociation(app);
  });
  afterAll(async () => {
    await app.close();
    await smtp.close();
  });

  /** Delivers the outbox now (the worker runs on its own timer in production). */
  const deliver = () => app.worker.runOnce();

  async function signUp(
    client: TestClient,
    who: { name: string; handle: string; email: string; password: string },
  ) {
    return client.submit('/signup', '/signup', who);
  }

  it('signs up, verifies the email by link, and logs in', async () => {
    const client = new TestClient(app.url);
    const who = {
      name: 'Kari Nordmann',
      handle: 'kari',
      email: 'Kari@Example.org',
      password: 'kari sitt passord',
    };
    const res = await signUp(client, who);
    expect(res.res.status).toBe(200);
    expect(res.html).toContain('kari@example.org');

    // Not verified yet: login is refused with a clear message and a fresh link is sent.
    const early = await client.submit('/login', '/login', {
      email: who.email,
      password: who.password,
    });
    expect(early.res.status).toBe(403);
    expect(early.html).toContain('bekrefte e-postadressen');

    await deliver();
    const mails = smtp.messages.filter((m) => m.to.includes('kari@example.org'));
    expect(mails.length).toBe(2);
    const first = linkIn(mails[0]!);
    const latest = linkIn(mails[1]!);
    // The first link was replaced by the second one.
    expect((await client.get(new URL(first).pathname + new URL(first).search)).res.status).toBe(
      400,
    );
    const verified = await client.get(new URL(latest).pathname + new URL(latest).search);
    expect(verified.res.status).toBe(303);
    // Reusing a verification link is refused.
    expect((await client.get(new URL(latest).pathname + new URL(latest).search)).res.status).toBe(
      400,
    );

    await client.logIn(who.email, who.password);
    const account = await client.get('/account');
    expect(account.res.status).toBe(200);
    expect(account.html).toContain('kari');
  });

  it('refuses a duplicate email or username, keeping the input', async () => {
    const client = new TestClient(app.url);
    const dup = await signUp(client, {
      name: 'Someone',
      handle: 'someone',
      email: ADMIN.email.toUpperCase(),
      password: 'long enough pw',
    });
    expect(dup.res.status).toBe(409);
    expect(dup.html).toContain('Det finnes allerede en konto');
    expect(dup.html).toContain('value="someone"');
    const dupHandle = await signUp(client, {
      name: 'Someone',
      handle: ADMIN.handle,
      email: 'someone@example.org',
      password: 'long enough pw',
    });
    expect(dupHandle.res.status).toBe(409);
    const bad = await signUp(client, {
      name: '',
      handle: 'Bad Handle!',
      email: 'not-an-email',
      password: 'short',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Skriv en gyldig e-postadresse');
    expect(bad.html).toContain('Må være minst 10 tegn');
    const count = await h
      .db()
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('email', '=', 'someone@example.org')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refuses a form without a valid CSRF token', async () => {
    const client = new TestClient(app.url);
    await client.get('/login');
    const missing = await client.post(
      '/login',
      { email: ADMIN.email, password: ADMIN.password },
      { csrf: null },
    );
    expect(missing.res.status).toBe(403);
    const forged = await client.post(
      '/login',
      { email: ADMIN.email, password: ADMIN.password },
      { csrf: 'forged-token-value' },
    );
    expect(forged.res.status).toBe(403);
    expect(forged.html).toContain('Skjemaet var utløpt eller ugyldig');
    // A token from another browser does not work either.
    const other = new TestClient(app.url);
    await other.get('/login');
    const stolen = await client.post(
      '/login',
      { email: ADMIN.email, password: ADMIN.password },
      { csrf: other.csrf() },
    );
    expect(stolen.res.status).toBe(403);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and logs out', async () => {
    const client = new TestClient(app.url);
    await client.get('/login');
    const res = await client.post('/login', { email: ADMIN.email, password: ADMIN.password });
    expect(res.res.status).toBe(303);
    const cookie = res.res.headers.getSetCookie().find((c) => c.startsWith('alm_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const raw = client.cookies.get('alm_session')!;
    // Only the hash of the token is stored.
    const stored = await h
      .db()
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', raw)
      .executeTakeFirst();
    expect(stored).toBeUndefined();
    expect(
      await h
        .db()
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', sha256(raw))
        .executeTakeFirst(),
    ).toBeDefined();

    await client.get('/account');
    const out = await client.post('/logout', {});
    expect(out.res.status).toBe(303);
    expect(
      await h
        .db()
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', sha256(raw))
        .executeTakeFirst(),
    ).toBeUndefined();
    const after = await client.get('/account');
    expect(after.res.status).toBe(303);
    expect(after.res.headers.get('location')).toContain('/login');
  });

  it('marks cookies Secure behind a TLS proxy when TRUST_PROXY is on', async () => {
    const secureApp = await startTestApp({
      database: h.database(),
      clock,
      config: { trustProxy: true },
    });
    try {
      const client = new TestClient(secureApp.url, { 'x-forwarded-proto': 'https' });
      await client.get('/login');
      const res = await client.post('/login', { email: ADMIN.email, password: ADMIN.password });
      const cookie = res.res.headers
        .getSetCookie()
        .find((c) => c.startsWith('__Host-alm_session='));
      expect(cookie).toMatch(/Secure/i);
    } finally {
      await secureApp.close();
    }
  });

  it('limits failed logins per account with a clear message, and counts per IP', async () => {
    const client = new TestClient(app.url);
    const victim = 'limited@example.org';
    for (let i = 0; i < 3; i++) {
      const r = await client.submit('/login', '/login', {
        email: victim,
        password: 'wrong password',
      });
      expect(r.res.status).toBe(401);
    }
    const blocked = await client.submit('/login', '/login', {
      email: victim,
      password: 'wrong password',
    });
    expect(blocked.res.status).toBe(429);
    expect(blocked.html).toContain('For mange mislykkede innlogginger');
    // Other accounts from the same address still work until the IP limit (6) is reached.
    for (let i = 0; i < 3; i++)
      await client.submit('/login', '/login', { email: `other${i}@example.org`, password: 'x' });
    const ipBlocked = await client.submit('/login', '/login', {
      email: ADMIN.email,
      password: ADMIN.password,
    });
    expect(ipBlocked.res.status).toBe(429);
    // After the window, logins work again.
    clock.advance(16 * 60_000);
    await client.logIn(ADMIN.email, ADMIN.password);
  });

  it('resets a password by a one-time link that expires', async () => {
    const client = new TestClient(app.url);
    const who = {
      name: 'Per Hansen',
      handle: 'per',
      email: 'per@example.org',
      password: 'per sitt passord',
    };
    await signUp(client, who);
    // Unknown addresses get the same answer.
    const unknown = await client.submit('/forgot-password', '/forgot-password', {
      email: 'nobody@example.org',
    });
    const known = await client.submit('/forgot-password', '/forgot-password', { email: who.email });
    expect(unknown.res.status).toBe(200);
    expect(known.html).toContain('Hvis adressen har en konto');
    await deliver();
    const mail = await smtp.waitFor(
      (m) => m.to.includes(who.email) && m.subject.startsWith('Nytt passord'),
    );
    const link = new URL(linkIn(mail));
    const form = await client.get(link.pathname + link.search);
    expect(form.res.status).toBe(200);
    const token = link.searchParams.get('token')!;
    const weak = await client.post('/reset-password', { token, password: 'short' });
    expect(weak.res.status).toBe(400);
    const done = await client.post('/reset-password', { token, password: 'a brand new password' });
    expect(done.res.status).toBe(303);
    // Reset proves the address: the account is verified and the new password works.
    await client.logIn(who.email, 'a brand new password');
    // The link cannot be used twice.
    const again = await client.get(link.pathname + link.search);
    expect(again.res.status).toBe(400);
    await client.get('/account');
    const reused = await client.post('/reset-password', {
      token,
      password: 'another new password',
    });
    expect(reused.res.status).toBe(400);
    expect(reused.html).toContain('Lenken er ugyldig');

    // An expired link is refused.
    await client.submit('/forgot-password', '/forgot-password', { email: who.email });
    await deliver();
    const mails = smtp.messages.filter(
      (m) => m.to.includes(who.email) && m.subject.startsWith('Nytt passord'),
    );
    const expired = new URL(linkIn(mails[mails.length - 1]!));
    clock.advance(61 * 60_000);
    expect((await client.get(expired.pathname + expired.search)).res.status).toBe(400);
  });

  it('changes the password (other sessions end) and the email (after confirmation)', async () => {
    const a = new TestClient(app.url);
    const b = new TestClient(app.url);
    const who = {
      name: 'Ola Berg',
      handle: 'olaberg',
      email: 'ola@example.org',
      password: 'ola sitt passord',
    };
    await signUp(a, who);
    await deliver();
    const verify = new URL(linkIn(await smtp.waitFor((m) => m.to.includes(who.email))));
    await a.get(verify.pathname + verify.search);
    await a.logIn(who.email, who.password);
    await b.logIn(who.email, who.password);

    const wrong = await a.submit('/account', '/account/password', {
      current_password: 'not it',
      password: 'the next password',
    });
    expect(wrong.res.status).toBe(400);
    expect(wrong.html).toContain('Nåværende passord er feil');
    const ok = await a.submit('/account', '/account/password', {
      current_password: who.password,
      password: 'the next password',
    });
    expect(ok.res.status).toBe(303);
    expect((await a.get('/account')).res.status).toBe(200);
    expect((await b.get('/account')).res.status).toBe(303); // logged out

    const taken = await a.submit('/account', '/account/email', {
      email: ADMIN.email,
      current_password: 'the next password',
    });
    expect(taken.res.status).toBe(409);
    const change = await a.submit('/account', '/account/email', {
      email: 'ola.new@example.org',
      current_password: 'the next password',
    });
    expect(change.res.status).toBe(303);
    await deliver();
    const confirm = new URL(
      linkIn(await smtp.waitFor((m) => m.to.includes('ola.new@example.org'))),
    );
    expect((await a.get(confirm.pathname + confirm.search)).res.status).toBe(303);
    await smtp.waitFor((m) => m.to.includes(who.email) && m.subject.includes('endret'));
    const fresh = new TestClient(app.url);
    await fresh.logIn('ola.new@example.org', 'the next password');
  });
});
