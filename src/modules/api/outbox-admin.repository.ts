import type { Db } from '../../app/db.js';
import type { OutboxTable } from '../../app/platform.tables.js';

export type OutboxStatus = OutboxTable['status'];
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sent', 'failed', 'held'];
export const OUTBOX_PAGE_SIZE = 50;

export type OutboxItem = {
  id: string;
  kind: string;
  recipient: string | null;
  subject: string | null;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  sentAt: string | null;
};

export type OutboxMessage = OutboxItem & {
  text: string | null;
  attachments: string[];
  erased: boolean;
};

type Payload = {
  subject?: unknown;
  text?: unknown;
  attachments?: unknown;
  erased?: unknown;
};

function parsePayload(payload: string): Payload {
  try {
    const v = JSON.parse(payload) as unknown;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

const COLUMNS = [
  'id',
  'kind',
  'recipient',
  'payload',
  'status',
  'attempts',
  'last_error',
  'created_at',
  'next_attempt_at',
  'sent_at',
] as const;

type Row = {
  id: string;
  kind: string;
  recipient: string | null;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string;
  sent_at: string | null;
};

function toItem(r: Row, p: Payload): OutboxItem {
  return {
    id: r.id,
    kind: r.kind,
    recipient: r.recipient,
    subject: typeof p.subject === 'string' ? p.subject : null,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
  };
}

/** Newest first, one page at a time; `before` is the last id of the previous page. */
export async function listOutbox(
  db: Db,
  opts: { status?: OutboxStatus | undefined; before?: string | undefined; limit?: number },
): Promise<{ items: OutboxItem[]; older: string | null }> {
  const limit = opts.limit ?? OUTBOX_PAGE_SIZE;
  let q = db
    .selectFrom('outbox')
    .select(COLUMNS)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.before) q = q.where('id', '<', opts.before);
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => toItem(r, parsePayload(r.payload))),
    older: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

export async function findOutboxMessage(db: Db, id: string): Promise<OutboxMessage | null> {
  const r = await db.selectFrom('outbox').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  const p = parsePayload(r.payload);
  const attachments = Array.isArray(p.attachments)
    ? p.attachments.map((a) =>
        a && typeof a === 'object' && typeof (a as { filename?: unknown }).filename === 'string'
          ? (a as { filename: string }).filename
          : '?',
      )
    : [];
  return {
    ...toItem(r, p),
    text: typeof p.text === 'string' ? p.text : null,
    attachments,
    erased: p.erased === true,
  };
}

/** Puts a failed or held message back in the queue, due now. False if it was neither. */
export async function requeueOutboxMessage(db: Db, id: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now.toISOString(), locked_until: null })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'held'])
    .where('recipient', 'is not', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
