// Helpers shared by the expense tests (imported by *.test.ts and the browser journey only).
import type { Kysely } from 'kysely';
import type { DB } from '../../app/database.js';
import type { TestClient } from '../../../test/helpers/app.js';

/** A tiny but real PDF. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
/** The first bytes of a PNG and a JPEG, enough for the content check. */
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
/** A Linux and a Windows executable, and a text file: none is a receipt, whatever its name. */
export const ELF = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]),
  Buffer.alloc(64),
]);
export const MZ = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(64)]);
export const TEXT = Buffer.from('Kvittering: 249 kr for webhotell\n', 'utf8');

/** A valid refund account (MOD11) and the same with the last digit wrong. */
export const ACCOUNT = '86011117947';
export const ACCOUNT_BAD = '86011117948';

export function claimForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    spent_on: '2027-01-05',
    amount: '249,50',
    vat: '49,90',
    description: 'Webhotell januar',
    category: '6420',
    payee_account: ACCOUNT,
    ...overrides,
  };
}

/**
 * Posts the claim form as the browser does (multipart), with the CSRF token of the page
 * at `pagePath` (fetched first).
 */
export async function postClaim(
  client: TestClient,
  opts: {
    form?: Record<string, string>;
    file?: { name: string; content: Buffer; type?: string } | null;
    pagePath?: string;
    action?: string;
  } = {},
): Promise<{ res: Response; html: string }> {
  await client.get(opts.pagePath ?? '/expenses/new');
  const body = new FormData();
  body.set('_csrf', client.csrf());
  for (const [k, v] of Object.entries(opts.form ?? claimForm())) body.set(k, v);
  const file =
    opts.file === undefined
      ? { name: 'kvittering.pdf', content: PDF, type: 'application/pdf' }
      : opts.file;
  if (file)
    body.set(
      'receipt',
      new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/pdf' }),
      file.name,
    );
  else body.set('receipt', new Blob([], { type: 'application/octet-stream' }), '');
  const res = await client.request('POST', opts.action ?? '/expenses/new', { body });
  const html = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('text/html')) client.lastHtml = html;
  return { res, html };
}

/** Posts a small form (a step on a claim) with the token of the claim's page. */
export async function postStep(
  client: TestClient,
  number: number,
  action: string,
  form: Record<string, string> = {},
): Promise<{ res: Response; html: string }> {
  await client.get(`/expenses/${number}`);
  return client.post(`/expenses/${number}/${action}`, form);
}

export async function expenseCounts(db: Kysely<DB>) {
  const n = async (
    table: 'expense_claims' | 'expense_receipts' | 'expense_claim_events' | 'outbox',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((e) => e.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    claims: await n('expense_claims'),
    receipts: await n('expense_receipts'),
    events: await n('expense_claim_events'),
    outbox: await n('outbox'),
  };
}

export async function claimRow(db: Kysely<DB>, number: number) {
  return db
    .selectFrom('expense_claims')
    .selectAll()
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
}

/** The number of the claim a redirect points at (/expenses/12). */
export function claimNumberOf(res: Response): number {
  const m = /\/expenses\/(\d+)$/.exec(res.headers.get('location') ?? '');
  if (!m) throw new Error(`no claim in redirect to ${res.headers.get('location')}`);
  return Number(m[1]);
}

export async function mailsTo(db: Kysely<DB>, email: string) {
  const rows = await db
    .selectFrom('outbox')
    .select(['payload'])
    .where('recipient', '=', email)
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as { subject: string; text: string });
}
