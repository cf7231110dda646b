import { z } from 'zod';
import { actorOf } from '../../app/middleware.js';
import type { ApiRegistry } from '../api/openapi.js';
import type { JournalEntry, JournalLine } from './journal.repository.js';
import { entryDetail, journalPage } from './journal-pages.usecases.js';
import {
  journalApiQuerySchema,
  manualEntryApiSchema,
  reverseSchema,
  SOURCE_KINDS,
} from './journal.schemas.js';
import { createManualEntry, reverseEntry } from './journal.usecases.js';
import { POSTING_KINDS, postAll } from './posting.usecases.js';

// The journal under /api/v1: list and read entries, post by hand, reverse, and run the
// automatic posting. Amounts are øre.

const entryResponse = z.object({
  id: z.string(),
  fiscalYear: z.number().int(),
  number: z.number().int(),
  postedOn: z.string(),
  description: z.string(),
  sourceKind: z.enum(SOURCE_KINDS),
  sourceId: z.string().nullable(),
  reversesEntryId: z.string().nullable(),
});

const lineResponse = z.object({
  account: z.string(),
  debitOre: z.number().int(),
  creditOre: z.number().int(),
  vatCode: z.string().nullable(),
  memberId: z.string().nullable(),
  description: z.string().nullable(),
});

function presentEntry(e: Pick<JournalEntry, keyof z.infer<typeof entryResponse>>) {
  return {
    id: e.id,
    fiscalYear: e.fiscalYear,
    number: e.number,
    postedOn: e.postedOn,
    description: e.description,
    sourceKind: e.sourceKind,
    sourceId: e.sourceId,
    reversesEntryId: e.reversesEntryId,
  };
}

function presentLine(l: JournalLine) {
  return {
    account: l.account,
    debitOre: l.debitOre,
    creditOre: l.creditOre,
    vatCode: l.vatCode,
    memberId: l.memberId,
    description: l.description,
  };
}

export function registerJournalApi(api: ApiRegistry): void {
  api.route(
    {
      method: 'get',
      path: '/finance/journal',
      summary:
        'Journal entries, newest first, filtered by fiscal year, account, source kind or text',
      tag: 'finance',
      permission: 'finance.read',
      query: journalApiQuerySchema,
      response: z.object({
        entries: z.array(
          entryResponse.extend({ amountOre: z.number().int(), reversed: z.boolean() }),
        ),
        total: z.number().int(),
        page: z.number().int(),
        pages: z.number().int(),
      }),
    },
    async (c, { query }) => {
      const result = await journalPage(c.get('ctx'), {
        filter: query,
        page: query.page,
        pageSize: query.limit,
      });
      return c.json({
        entries: result.entries.map((e) => ({
          ...presentEntry(e),
          amountOre: e.amountOre,
          reversed: e.reversed,
        })),
        total: result.total,
        page: result.page,
        pages: result.pages,
      });
    },
  );

  api.route(
    {
      method: 'get',
      path: '/finance/journal/:id',
      summary: 'One journal entry with its lines, and the entry that reverses it (if any)',
      tag: 'finance',
      permission: 'finance.read',
      response: entryResponse.extend({
        lines: z.array(lineResponse),
        reversedBy: z.string().nullable(),
      }),
    },
    async (c) => {
      const d = await entryDetail(c.get('ctx'), c.req.param('id')!);
      return c.json({
        ...presentEntry(d.entry),
        lines: d.lines.map(presentLine),
        reversedBy: d.reversedBy?.id ?? null,
      });
    },
  );

  api.route(
    {
      method: 'post',
      path: '/finance/journal',
      summary:
        'A manual posting: date, description and at least two lines (account, debit_ore or credit_ore); must balance, accounts must exist and be active',
      tag: 'finance',
      permission: 'finance.manage',
      body: manualEntryApiSchema,
      response: entryResponse.extend({ lines: z.array(lineResponse) }),
    },
    async (c, { body }) => {
      const { entry, lines } = await createManualEntry(c.get('ctx'), {
        actor: actorOf(c),
        entry: body,
      });
      return c.json({ ...presentEntry(entry), lines: lines.map(presentLine) }, 201);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/finance/journal/:id/reverse',
      summary:
        'Reverse an entry: a new entry with debit and credit swapped (date defaults to today); an entry is reversed once, a second time answers 409',
      tag: 'finance',
      permission: 'finance.manage',
      body: reverseSchema,
      response: entryResponse,
    },
    async (c, { body }) => {
      const { reversal } = await reverseEntry(c.get('ctx'), {
        actor: actorOf(c),
        entryId: c.req.param('id')!,
        date: body.date,
        reason: body.reason,
      });
      return c.json(presentEntry(reversal), 201);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/finance/journal/post',
      summary:
        'Run the automatic posting now: every invoice, credit note, payment, reversal, member credit movement and expense claim not yet in the journal',
      tag: 'finance',
      permission: 'finance.manage',
      response: z.object({
        posted: z.object(Object.fromEntries(POSTING_KINDS.map((k) => [k, z.number().int()]))),
        total: z.number().int(),
        batches: z.number().int(),
        skipped: z.number().int(),
      }),
    },
    async (c) => {
      const deps = c.get('ctx');
      const counts = await postAll(deps, { actor: actorOf(c) });
      return c.json(counts);
    },
  );
}
