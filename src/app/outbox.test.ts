import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedClock } from './clock.js';
import { createMailDeliverer } from './mailer.js';
import {
  backoffMs,
  createOutboxWorker,
  enqueueEmail,
  MAX_ATTEMPTS,
  releaseHeldMail,
} from './outbox.js';
import { silentLogger } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import { startSmtpServer } from '../../test/helpers/smtp.js';

describeEachDialect('outbox', (h) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());

  it('sends nothing when the transaction rolls back, and delivers after commit', async () => {
    const clock = fixedClock('2026-01-01T00:00:00Z');
    await h
      .db()
      .transaction()
      .execute(async (tx) => {
        await enqueueEmail(tx, {
          message: { to: 'rollback@example.org', subject: 'never', text: 'x' },
          at: clock.now(),
        });
        throw new Error('abort');
      })
      .catch(() => undefined);
    await h
      .db()
      .transaction()
      .execute((tx) =>
        enqueueEmail(tx, {
          message: { to: 'commit@example.org', subject: 'Hei', text: 'Æ ø å – ok' },
          at: clock.now(),
        }),
      );
    const worker = createOutboxWorker({
      db: h.db(),
      clock,
      logger: silentLogger,
      deliver: createMailDeliverer({
        smtpUrl: smtp.url,
        from: 'test@localhost',
        logger: silentLogger,
      }),
    });
    const first = await worker.runOnce();
    expect(first.delivered).toBe(1);
    const mail = await smtp.waitFor((m) => m.to.includes('commit@example.org'));
    expect(mail.text).toContain('Æ ø å');
    expect(smtp.messages.some((m) => m.to.includes('rollback@example.org'))).toBe(false);
    // Delivered once only.
    expect((await worker.runOnce()).delivered).toBe(0);
  });

  it('retries with backoff when the SMTP server is down, then gives up', async () => {
    const clock = fixedClock('2026-01-02T00:00:00Z');
    const { id } = await enqueueEmail(h.db(), {
      message: { to: 'retry@example.org', subject: 'Retry', text: 'x' },
      at: clock.now(),
    });
    const down = createMailDeliverer({
      smtpUrl: 'smtp://127.0.0.1:1?ignoreTLS=true',
      from: 'test@localhost',
      logger: silentLogger,
    });
    const worker = createOutboxWorker({ db: h.db(), clock, logger: silentLogger, deliver: down });
    expect((await worker.runOnce()).failed).toBe(1);
    let row = await h
      .db()
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeTruthy();
    expect(new Date(row.next_attempt_at).getTime() - clock.now().getTime()).toBe(backoffMs(1));
    // Not retried before its time.
    expect((await worker.runOnce()).failed).toBe(0);
    for (let i = 2; i <= MAX_ATTEMPTS; i++) {
      clock.advance(backoffMs(i - 1));
      await worker.runOnce();
    }
    row = await h
      .db()
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(MAX_ATTEMPTS);
  });

  it('holds mail while no SMTP server is configured, and releases it later', async () => {
    const clock = fixedClock('2026-01-03T00:00:00Z');
    const { id } = await enqueueEmail(h.db(), {
      message: { to: 'held@example.org', subject: 'Held', text: 'x' },
      at: clock.now(),
    });
    const none = createOutboxWorker({
      db: h.db(),
      clock,
      logger: silentLogger,
      deliver: createMailDeliverer({
        smtpUrl: undefined,
        from: 'x@localhost',
        logger: silentLogger,
      }),
    });
    expect((await none.runOnce()).held).toBeGreaterThanOrEqual(1);
    const held = await h
      .db()
      .selectFrom('outbox')
      .select(['status', 'payload'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('held');
    expect(held.payload).toContain('Held');
    expect(await releaseHeldMail(h.db(), clock.now())).toBeGreaterThanOrEqual(1);
    const real = createOutboxWorker({
      db: h.db(),
      clock,
      logger: silentLogger,
      deliver: createMailDeliverer({
        smtpUrl: smtp.url,
        from: 'x@localhost',
        logger: silentLogger,
      }),
    });
    await real.runOnce();
    await smtp.waitFor((m) => m.to.includes('held@example.org'));
  });

  it('lets only one of two workers deliver a message', async () => {
    const clock = fixedClock('2026-01-04T00:00:00Z');
    await enqueueEmail(h.db(), {
      message: { to: 'once@example.org', subject: 'Once', text: 'x' },
      at: clock.now(),
    });
    const deliver = createMailDeliverer({
      smtpUrl: smtp.url,
      from: 'x@localhost',
      logger: silentLogger,
    });
    const a = createOutboxWorker({ db: h.db(), clock, logger: silentLogger, deliver });
    const b = createOutboxWorker({ db: h.db(), clock, logger: silentLogger, deliver });
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(ra.delivered + rb.delivered).toBe(1);
    await smtp.waitFor((m) => m.to.includes('once@example.org'));
    expect(smtp.messages.filter((m) => m.to.includes('once@example.org')).length).toBe(1);
  });
});
