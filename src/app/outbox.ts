import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { DB } from './database.js';
import type { Db } from './db.js';
import { newId, newIds } from './ids.js';

export type EmailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
  /**
   * Attachments made at delivery time (an invoice PDF, say), so the outbox row stays
   * small: `kind` names a resolver given to the mail deliverer, `id` what to render.
   */
  attachmentRefs?: { kind: string; id: string }[];
};

export type Attachment = { filename: string; contentType: string; content: Buffer };
export type AttachmentResolvers = Record<string, (id: string) => Promise<Attachment>>;

/**
 * Queues an email in the caller's transaction. It is sent only if the transaction
 * commits, and at least once after that (the worker retries with backoff).
 */
export async function enqueueEmail(
  db: Db,
  opts: { message: EmailMessage; at: Date },
): Promise<{ id: string }> {
  const id = newId(opts.at.getTime());
  await db
    .insertInto('outbox')
    .values({
      id,
      kind: 'email',
      recipient: opts.message.to,
      payload: JSON.stringify(opts.message),
      status: 'pending',
      attempts: 0,
      next_attempt_at: opts.at.toISOString(),
      locked_until: null,
      last_error: null,
      created_at: opts.at.toISOString(),
      sent_at: null,
    })
    .execute();
  return { id };
}

/**
 * Queues many emails in the caller's transaction with multi-row inserts (a dues run
 * queues one per invoice); otherwise the same as enqueueEmail.
 */
export async function enqueueEmails(
  db: Db,
  opts: { messages: EmailMessage[]; at: Date },
): Promise<void> {
  const at = opts.at.toISOString();
  const ids = newIds(opts.messages.length, opts.at.getTime());
  const rows = opts.messages.map((message, i) => ({
    id: ids[i]!,
    kind: 'email',
    recipient: message.to,
    payload: JSON.stringify(message),
    status: 'pending' as const,
    attempts: 0,
    next_attempt_at: at,
    locked_until: null,
    last_error: null,
    created_at: at,
    sent_at: null,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('outbox')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/**
 * Queues any other kind of delivery (a webhook, a back-channel logout, a call to a
 * service's admin API) in the caller's transaction; the worker hands the payload to the
 * handler registered for `kind`, after commit, retrying with backoff until it succeeds.
 */
export async function enqueueOutbox(
  db: Db,
  opts: { kind: string; recipient: string | null; payload: unknown; at: Date },
): Promise<{ id: string }> {
  const id = newId(opts.at.getTime());
  await db
    .insertInto('outbox')
    .values({
      id,
      kind: opts.kind,
      recipient: opts.recipient,
      payload: JSON.stringify(opts.payload),
      status: 'pending',
      attempts: 0,
      next_attempt_at: opts.at.toISOString(),
      locked_until: null,
      last_error: null,
      created_at: opts.at.toISOString(),
      sent_at: null,
    })
    .execute();
  return { id };
}

/**
 * Delivers one outbox row of a kind other than email; throws to ask for a retry.
 * `attempt` counts from 1; `final` is true on the last attempt before giving up.
 */
export type OutboxHandler = (
  payload: unknown,
  meta: { id: string; attempt: number; final: boolean; now: Date },
) => Promise<void>;

export type Deliverer = {
  /** Sends one message; throws to ask for a retry. Returns false when held (no transport). */
  email(message: EmailMessage): Promise<boolean>;
};

export const MAX_ATTEMPTS = 10;

/** 30 s, 1 min, 2 min … capped at 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60 * 1000);
}

export type OutboxWorker = {
  runOnce(): Promise<{ delivered: number; failed: number; held: number }>;
  kick(): void;
  start(intervalMs?: number): void;
  stop(): Promise<void>;
};

export function createOutboxWorker(deps: {
  db: Kysely<DB>;
  clock: Clock;
  deliver: Deliverer;
  logger: Logger;
  batchSize?: number;
  /** Handlers for the kinds other than email, by kind. */
  handlers?: Record<string, OutboxHandler>;
}): OutboxWorker {
  const { db, clock, deliver, logger } = deps;
  const handlers = deps.handlers ?? {};
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;

  async function claim(id: string, now: Date): Promise<boolean> {
    const res = await db
      .updateTable('outbox')
      .set({ locked_until: new Date(now.getTime() + 120_000).toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]),
      )
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async function runOnce() {
    const counts = { delivered: 0, failed: 0, held: 0 };
    const now = clock.now();
    const due = await db
      .selectFrom('outbox')
      .select(['id', 'kind', 'payload', 'attempts'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now.toISOString())
      .where((eb) =>
        eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now.toISOString())]),
      )
      .orderBy('next_attempt_at')
      .limit(deps.batchSize ?? 20)
      .execute();
    for (const row of due) {
      if (!(await claim(row.id, now))) continue; // another instance took it
      try {
        let sent = true;
        if (row.kind === 'email') {
          sent = await deliver.email(JSON.parse(row.payload) as EmailMessage);
        } else {
          const handler = handlers[row.kind];
          if (!handler) throw new Error(`unknown outbox kind ${row.kind}`);
          await handler(JSON.parse(row.payload), {
            id: row.id,
            attempt: row.attempts + 1,
            final: row.attempts + 1 >= MAX_ATTEMPTS,
            now: clock.now(),
          });
        }
        await db
          .updateTable('outbox')
          .set({
            status: sent ? 'sent' : 'held',
            sent_at: sent ? clock.now().toISOString() : null,
            attempts: row.attempts + 1,
            locked_until: null,
            last_error: null,
          })
          .where('id', '=', row.id)
          .execute();
        if (sent) counts.delivered++;
        else counts.held++;
      } catch (err) {
        const attempts = row.attempts + 1;
        const message = err instanceof Error ? err.message : String(err);
        const giveUp = attempts >= MAX_ATTEMPTS;
        await db
          .updateTable('outbox')
          .set({
            status: giveUp ? 'failed' : 'pending',
            attempts,
            next_attempt_at: new Date(clock.now().getTime() + backoffMs(attempts)).toISOString(),
            locked_until: null,
            last_error: message.slice(0, 500),
          })
          .where('id', '=', row.id)
          .execute();
        counts.failed++;
        logger.warn({ outboxId: row.id, attempts, err: message }, 'outbox delivery failed');
      }
    }
    return counts;
  }

  function loop() {
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((err: unknown) => logger.error({ err }, 'outbox worker run failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          loop();
        }
      });
  }

  return {
    runOnce,
    kick: () => {
      if (timer) setImmediate(loop);
    },
    start(intervalMs = 5000) {
      timer = setInterval(loop, intervalMs);
      timer.unref();
      loop();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** Held mail (kept while no SMTP server was configured) goes out once one is. */
export async function releaseHeldMail(db: Kysely<DB>, now: Date): Promise<number> {
  const res = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now.toISOString() })
    .where('status', '=', 'held')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export async function outboxStats(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('outbox')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
