import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { newId } from '../../app/ids.js';
import { startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser, createUser } from '../../../test/helpers/fixtures.js';
import { systemActor } from '../../app/audit.js';
import { issue, setUpBilling } from '../billing/overview.test-support.js';
import { registerPaymentSchema } from '../billing/payments.schemas.js';
import { registerPayment } from '../billing/payments.usecases.js';
import type { AccessPolicy, ServiceStatus } from './services.tables.js';
import { checkServiceAccess, membershipStanding } from './access.js';

describeEachDialect('the gate: who may use a service', (h) => {
  let app: Running;
  const clock = fixedClock('2026-02-20T09:00:00Z');
  const now = clock.now();

  async function service(
    policy: AccessPolicy,
    opts: { status?: ServiceStatus; offices?: string[] } = {},
  ) {
    const id = newId();
    await h
      .db()
      .insertInto('services')
      .values({
        id,
        slug: `s-${id.slice(-8)}`,
        name: 'Tjeneste',
        description_nb: '',
        description_en: '',
        url: 'https://service.example.org',
        kind: 'shared',
        software: 'other',
        login_method: 'oidc',
        access_policy: policy,
        offices: JSON.stringify(opts.offices ?? []),
        status: opts.status ?? 'active',
        sort_order: 0,
        connector: 'none',
        connector_url: null,
        connector_token_enc: null,
        webhook_url: null,
        webhook_secret_enc: null,
        discourse_secret_enc: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    return id;
  }

  let open: string;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock });
    await setUpBilling(app, { settings: { graceDays: 14, dueDays: 14 } });
    open = await service('all_members');
  });
  afterAll(async () => {
    await app.close();
  });

  /** Paid in full through the treasurer's use-case, so the membership period is marked paid. */
  async function pay(invoice: { number: number }, bookingDate: string) {
    await registerPayment(app.ctx, {
      actor: systemActor,
      payment: registerPaymentSchema.parse({
        invoice_number: String(invoice.number),
        amount: '600',
        booking_date: bookingDate,
      }),
    });
  }

  const check = (userId: string, serviceId: string) =>
    checkServiceAccess(h.db(), { userId, serviceId, now });

  it('lets an active member with nothing unpaid in, and says until when they have paid', async () => {
    const { user, member } = await createMemberUser(h.db());
    const invoice = await issue(h.db(), { memberId: member.id, issueDate: '2026-01-10' });
    await pay(invoice, '2026-01-15');
    const result = await check(user.id, open);
    expect(result.allowed).toBe(true);
    expect(result.standing.paidUntil).toBe('2026-12-31');
  });

  it('refuses by status: suspended, excluded, lapsed, applied, and an account without membership', async () => {
    const refusals = [];
    for (const status of ['suspended', 'excluded', 'lapsed', 'applied', 'resigned'] as const) {
      const { user } = await createMemberUser(h.db(), { status });
      const r = await check(user.id, open);
      refusals.push(r.allowed ? 'allowed' : r.refusal);
    }
    expect(refusals).toEqual(['suspended', 'excluded', 'not_active', 'not_active', 'not_active']);
    const stranger = await createUser(h.db());
    expect(await check(stranger.id, open)).toMatchObject({ allowed: false, refusal: 'no_member' });
  });

  it('refuses an invoice overdue past the grace days at once, before the lapse job has run', async () => {
    const { user, member } = await createMemberUser(h.db());
    // Last year paid: a renewing member.
    const last = await issue(h.db(), { memberId: member.id, issueDate: '2025-01-10', year: 2025 });
    await pay(last, '2025-01-12');
    // Due 2026-01-15 (issued 2026-01-01 + 14 days); grace ends 2026-01-29; today is 2026-02-20.
    const overdue = await issue(h.db(), { memberId: member.id, issueDate: '2026-01-01' });
    const r = await check(user.id, open);
    expect(r).toMatchObject({ allowed: false, refusal: 'unpaid' });
    expect(r.standing.invoice?.id).toBe(overdue.id);
    expect(r.standing.member?.status).toBe('active');
  });

  it('keeps a renewing member in during the grace days, but a new member waits for the first payment', async () => {
    const renewing = await createMemberUser(h.db());
    const last = await issue(h.db(), {
      memberId: renewing.member.id,
      issueDate: '2025-01-10',
      year: 2025,
    });
    await pay(last, '2025-01-12');
    await issue(h.db(), { memberId: renewing.member.id, issueDate: '2026-02-10' });
    expect((await check(renewing.user.id, open)).allowed).toBe(true);

    const fresh = await createMemberUser(h.db());
    const first = await issue(h.db(), { memberId: fresh.member.id, issueDate: '2026-02-10' });
    expect(await check(fresh.user.id, open)).toMatchObject({
      allowed: false,
      refusal: 'first_payment',
      standing: { invoice: { id: first.id } },
    });
    await pay(first, '2026-02-19');
    expect((await check(fresh.user.id, open)).allowed).toBe(true);
  });

  it('follows the policy: on request needs a grant, by office needs the office, and services can be closed', async () => {
    const onRequest = await service('on_request');
    const boardOnly = await service('by_office', { offices: ['board_member', 'sysadmin'] });
    const closed = await service('all_members', { status: 'maintenance' });
    const plain = await createMemberUser(h.db());
    const board = await createMemberUser(h.db(), { offices: ['board_member'] });

    expect(await check(plain.user.id, onRequest)).toMatchObject({ refusal: 'access_required' });
    await h
      .db()
      .insertInto('service_access')
      .values({
        id: newId(),
        service_id: onRequest,
        member_id: plain.member.id,
        status: 'granted',
        note: null,
        reason: null,
        requested_at: now.toISOString(),
        decided_at: now.toISOString(),
        decided_by: null,
        updated_at: now.toISOString(),
      })
      .execute();
    expect((await check(plain.user.id, onRequest)).allowed).toBe(true);

    expect(await check(plain.user.id, boardOnly)).toMatchObject({ refusal: 'office_required' });
    expect((await check(board.user.id, boardOnly)).allowed).toBe(true);
    expect(await check(board.user.id, closed)).toMatchObject({ refusal: 'service_unavailable' });
    expect(await check(board.user.id, newId())).toMatchObject({ refusal: 'service_unavailable' });
  });

  it('gives offices only to an active membership', async () => {
    const { user } = await createMemberUser(h.db(), { offices: ['treasurer'] });
    const standing = await membershipStanding(h.db(), { userId: user.id, now });
    expect(standing.offices).toEqual(['treasurer']);
  });
});
