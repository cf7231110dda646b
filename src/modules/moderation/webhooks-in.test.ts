import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { secretBox } from '../../app/secret-box.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { signWebhook } from '../sso/webhooks.js';
import { insertReportingService } from './reports.test-support.js';
import { mapMastodonReport, signMastodon, verifyMastodon } from './webhooks-in.js';

const NOW = '2026-03-02T10:00:00Z';
const SECRET = 'mastodon-webhook-secret-0123456789';

function mastodonBody(id: string, username: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    event: 'report.created',
    created_at: NOW,
    object: {
      id,
      action_taken: false,
      category: 'violation',
      comment: 'Hakekors i profilbildet',
      forwarded: false,
      created_at: NOW,
      account: { id: '1', username: 'melder', domain: null },
      target_account: { id: '2', username, domain: null },
      statuses: [{ id: '9', url: `https://social.example.org/@${username}/9` }],
      rules: [{ id: '3', text: 'Ingen nazisme' }],
      ...extra,
    },
  });
}

describeEachDialect('moderation: reports from the services’ webhooks', (h) => {
  let app: Running;
  const db = () => h.db();
  const clock = fixedClock(NOW);
  let rita: Awaited<ReturnType<typeof createMemberUser>>;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpAssociation(app);
    rita = await createMemberUser(db(), { name: 'Rita Rapportert' });
    await insertReportingService(db(), {
      slug: 'social',
      software: 'mastodon',
      inboundSecret: SECRET,
      appSecret: app.ctx.secret,
    });
    await insertReportingService(db(), {
      slug: 'forum',
      inboundSecret: SECRET,
      appSecret: app.ctx.secret,
    });
    await insertReportingService(db(), { slug: 'nohook', appSecret: app.ctx.secret });
  });
  afterAll(async () => app.close());

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(new URL(path, app.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('records Mastodon’s report.created once, verified by X-Hub-Signature', async () => {
    const body = mastodonBody('101', rita.user.handle);
    const res = await post('/hooks/services/social/mastodon', body, {
      'x-hub-signature': signMastodon(SECRET, body),
    });
    expect(res.status).toBe(202);
    expect(((await res.json()) as { status: string }).status).toBe('recorded');
    const rows = await db()
      .selectFrom('moderation_reports')
      .selectAll()
      .where('source', '=', 'mastodon')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      external_id: '101',
      reported_handle: rita.user.handle,
      reported_member_id: rita.member.id,
      content_url: `https://social.example.org/@${rita.user.handle}/9`,
      aup_clause: 'Mastodon rule 3',
      status: 'new',
      reporter_member_id: null,
    });
    expect(rows[0]!.description).toContain('Hakekors i profilbildet');

    // The same delivery again (Mastodon retries): answered 200, nothing recorded twice.
    const replay = await post('/hooks/services/social/mastodon', body, {
      'x-hub-signature': signMastodon(SECRET, body),
    });
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { status: string }).status).toBe('duplicate');
    const after = await db()
      .selectFrom('moderation_reports')
      .select('id')
      .where('source', '=', 'mastodon')
      .execute();
    expect(after).toHaveLength(1);
  });

  it('refuses a forged or missing Mastodon signature with 401, bad content with 400', async () => {
    const body = mastodonBody('102', rita.user.handle);
    const forged = await post('/hooks/services/social/mastodon', body, {
      'x-hub-signature': signMastodon('not-the-secret', body),
    });
    expect(forged.status).toBe(401);
    const tampered = await post(
      '/hooks/services/social/mastodon',
      body.replace('Hakekors', 'Blomster'),
      { 'x-hub-signature': signMastodon(SECRET, body) },
    );
    expect(tampered.status).toBe(401);
    const none = await post('/hooks/services/social/mastodon', body, {});
    expect(none.status).toBe(401);
    const noTarget = JSON.stringify({ event: 'report.created', object: { id: '103' } });
    const missing = await post('/hooks/services/social/mastodon', noTarget, {
      'x-hub-signature': signMastodon(SECRET, noTarget),
    });
    expect(missing.status).toBe(400);
    const other = JSON.stringify({ event: 'account.created', object: { id: '5' } });
    const ignored = await post('/hooks/services/social/mastodon', other, {
      'x-hub-signature': signMastodon(SECRET, other),
    });
    expect(ignored.status).toBe(202);
    const unconfigured = await post('/hooks/services/nohook/mastodon', body, {
      'x-hub-signature': signMastodon(SECRET, body),
    });
    expect(unconfigured.status).toBe(404);
    const rows = await db()
      .selectFrom('moderation_reports')
      .select('external_id')
      .where('source', '=', 'mastodon')
      .execute();
    expect(rows.map((r) => r.external_id)).toEqual(['101']);
  });

  it('takes the generic signed webhook, refusing old timestamps and forged signatures', async () => {
    const ts = Math.floor(clock.now().getTime() / 1000);
    const body = JSON.stringify({
      id: 'f-1',
      reported: { username: rita.user.handle },
      url: 'https://forum.example.org/t/1',
      description: 'Truende innlegg',
      clause: 'AUP § 4',
    });
    const sign = (t: number, b: string) => ({
      'allmenning-timestamp': String(t),
      'allmenning-signature': `v1=${signWebhook(SECRET, t, b)}`,
    });
    const ok = await post('/hooks/services/forum/report', body, sign(ts, body));
    expect(ok.status).toBe(202);
    const replay = await post('/hooks/services/forum/report', body, sign(ts, body));
    expect(replay.status).toBe(200);
    const old = await post('/hooks/services/forum/report', body, sign(ts - 301, body));
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe(
      'moderation.webhook_stale',
    );
    const forged = await post('/hooks/services/forum/report', body, {
      'allmenning-timestamp': String(ts),
      'allmenning-signature': `v1=${signWebhook('wrong', ts, body)}`,
    });
    expect(forged.status).toBe(401);
    const noDescription = JSON.stringify({ id: 'f-2', reported: { username: 'x' } });
    const missing = await post(
      '/hooks/services/forum/report',
      noDescription,
      sign(ts, noDescription),
    );
    expect(missing.status).toBe(400);
    const rows = await db()
      .selectFrom('moderation_reports')
      .selectAll()
      .where('source', '=', 'webhook')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      external_id: 'f-1',
      reported_member_id: rita.member.id,
      content_url: 'https://forum.example.org/t/1',
      description: 'Truende innlegg',
      aup_clause: 'AUP § 4',
    });
  });

  it('lets the services admin make the inbound secret, shown once and sealed', async () => {
    const service = await db()
      .selectFrom('services')
      .select('id')
      .where('slug', '=', 'nohook')
      .executeTakeFirstOrThrow();
    const path = `/admin/services/${service.id}/inbound-secret`;
    const member = await loggedIn(app, rita.user.email);
    expect((await member.get(path)).res.status).toBe(403);
    const admin = await loggedIn(app, 'admin@example.org', 'correct horse battery');
    const page = await admin.get(path);
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('/hooks/services/nohook/report');
    const made = await admin.post(path, {});
    expect(made.res.status).toBe(200);
    const secret = /id="inbound-secret">([^<]+)</.exec(made.html)?.[1];
    expect(secret).toBeTruthy();
    const row = await db()
      .selectFrom('services')
      .select('inbound_secret_enc')
      .where('id', '=', service.id)
      .executeTakeFirstOrThrow();
    expect(row.inbound_secret_enc).not.toContain(secret!);
    expect(secretBox(app.ctx.secret).open(row.inbound_secret_enc!)).toBe(secret);
    // Shown once: the page does not show it again.
    expect((await admin.get(path)).html).not.toContain(secret!);
    // And it verifies a report now.
    const body = JSON.stringify({ id: 'n-1', url: 'https://x.example.org/1', description: 'Spam' });
    const ts = Math.floor(clock.now().getTime() / 1000);
    const res = await post('/hooks/services/nohook/report', body, {
      'allmenning-timestamp': String(ts),
      'allmenning-signature': `v1=${signWebhook(secret!, ts, body)}`,
    });
    expect(res.status).toBe(202);
    const anonymous = new TestClient(app.url);
    expect((await anonymous.get(path)).res.status).toBe(303);
  });
});

describe('moderation: mapping and verifying Mastodon’s payload', () => {
  it('names a remote account with its domain, so it never matches a member', () => {
    const body = mastodonBody('7', 'ola', {
      target_account: { id: '2', username: 'ola', domain: 'other.example' },
      comment: '',
      rules: [],
      rule_ids: ['4'],
    });
    const mapped = mapMastodonReport(JSON.parse(body));
    expect(mapped).toMatchObject({
      ok: true,
      report: {
        externalId: '7',
        reportedHandle: 'ola@other.example',
        aupClause: 'Mastodon rule 4',
      },
    });
  });

  it('accepts only sha256=<64 hex> over the exact body', () => {
    const body = '{"event":"report.created"}';
    const good = signMastodon(SECRET, body);
    expect(verifyMastodon({ secret: SECRET, body, signature: good })).toBe(true);
    expect(
      verifyMastodon({
        secret: SECRET,
        body,
        signature: good.toUpperCase().replace('SHA256', 'sha256'),
      }),
    ).toBe(true);
    expect(verifyMastodon({ secret: SECRET, body: `${body} `, signature: good })).toBe(false);
    expect(verifyMastodon({ secret: SECRET, body, signature: good.slice(7) })).toBe(false);
    expect(verifyMastodon({ secret: SECRET, body, signature: 'sha1=abc' })).toBe(false);
    expect(verifyMastodon({ secret: SECRET, body, signature: undefined })).toBe(false);
  });
});
