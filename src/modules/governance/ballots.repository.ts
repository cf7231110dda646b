import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { sha256 } from '../../app/crypto.js';
import type { Db } from '../../app/db.js';

// Secret ballots. A ballot row is (vote, random id, choice, hash of the receipt): nothing
// about the voter and no time. Who has voted lives in vote_participation, written in the
// same transaction; nothing joins the two.

const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A random ballot id: 128 bits from the operating system, hex. Not time-ordered. */
export function randomBallotId(): string {
  return randomBytes(16).toString('hex');
}

/** A receipt code shown once to the voter: 16 characters (80 bits), in groups of four. */
export function newReceiptCode(): string {
  const bytes = randomBytes(16);
  let code = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) code += '-';
    code += RECEIPT_ALPHABET[bytes[i]! % 32];
  }
  return code;
}

export function normaliseReceipt(code: string): string {
  const plain = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return plain.replace(/(.{4})(?=.)/g, '$1-');
}

export function receiptHash(voteId: string, code: string): string {
  return sha256(`ballot:${voteId}:${normaliseReceipt(code)}`);
}

export async function insertBallot(
  db: Db,
  b: { voteId: string; choice: string; receiptCode: string },
): Promise<void> {
  await db
    .insertInto('ballots')
    .values({
      vote_id: b.voteId,
      id: randomBallotId(),
      choice: b.choice,
      receipt_hash: receiptHash(b.voteId, b.receiptCode),
    })
    .execute();
}

export async function countBallots(db: Db, voteId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('ballots')
    .select(['choice', sql<number>`count(*)`.as('n')])
    .where('vote_id', '=', voteId)
    .groupBy('choice')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.choice, Number(r.n)]));
}

export async function receiptCounted(db: Db, voteId: string, code: string): Promise<boolean> {
  const r = await db
    .selectFrom('ballots')
    .select('id')
    .where('vote_id', '=', voteId)
    .where('receipt_hash', '=', receiptHash(voteId, code))
    .executeTakeFirst();
  return !!r;
}

/**
 * At close, rewrites the vote's ballots and participation rows in key order, each in one
 * statement: afterwards neither their physical position (PostgreSQL's ctid) nor the
 * transaction that wrote them (xmin) says anything about the order they were cast in, and
 * no ballot shares a transaction with a participation row.
 */
export async function rewriteInKeyOrder(db: Db, voteId: string): Promise<void> {
  const ballots = await db
    .selectFrom('ballots')
    .select(['id', 'choice', 'receipt_hash'])
    .where('vote_id', '=', voteId)
    .orderBy('id')
    .execute();
  const voters = await db
    .selectFrom('vote_participation')
    .select('member_id')
    .where('vote_id', '=', voteId)
    .orderBy('member_id')
    .execute();
  await db.deleteFrom('ballots').where('vote_id', '=', voteId).execute();
  await db.deleteFrom('vote_participation').where('vote_id', '=', voteId).execute();
  const CHUNK = 500;
  for (let i = 0; i < ballots.length; i += CHUNK)
    await db
      .insertInto('ballots')
      .values(ballots.slice(i, i + CHUNK).map((b) => ({ vote_id: voteId, ...b })))
      .execute();
  for (let i = 0; i < voters.length; i += CHUNK)
    await db
      .insertInto('vote_participation')
      .values(voters.slice(i, i + CHUNK).map((v) => ({ vote_id: voteId, member_id: v.member_id })))
      .execute();
}
