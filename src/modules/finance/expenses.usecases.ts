import type { AppContext } from '../../app/context.js';
import { recordAudit, type Actor } from '../../app/audit.js';
import { nextNumber } from '../../app/counters.js';
import { associationYear, todayIn } from '../../app/dates.js';
import type { Db } from '../../app/db.js';
import {
  AppError,
  CommonErrors,
  interpolate,
  type Locale,
  type Translations,
} from '../../app/errors.js';
import { translator, type MessageKey } from '../../app/i18n.js';
import { newId } from '../../app/ids.js';
import { enqueueEmail } from '../../app/outbox.js';
import type { Permission } from '../../app/policy.js';
import { findAssociation, type Association } from '../association/association.repository.js';
import { findUserById } from '../accounts/accounts.repository.js';
import { findMemberById } from '../members/members.repository.js';
import { checkReceipt, type CheckedReceipt, type ReceiptProblem } from './expense-receipt.js';
import { expenseCategories } from './expenses.categories.js';
import { claimMessage, type ClaimMailKind } from './expenses.emails.js';
import { ExpenseErrors } from './expenses.errors.js';
import {
  countReceipts,
  findClaimById,
  findClaimByNumber,
  insertClaim,
  insertClaimEvent,
  insertReceipt,
  transitionClaim,
  type Claim,
} from './expenses.repository.js';
import type { ClaimInput } from './expenses.schemas.js';
import type { ClaimStatus } from './finance.tables.js';

// The life of an expense claim: submitted → attested → approved → paid, or rejected, or
// returned for changes (and submitted again). Each step is one transaction that moves the
// claim only from the status it was read in, writes the history row and the audit entry,
// and queues the claimant's email.

export type Deps = Pick<AppContext, 'db' | 'clock' | 'config' | 'kickOutbox'>;

/** Who submits: the signed-in user and their membership. */
export type Claimant = { userId: string; memberId: string | null; memberStatus: string | null };

/** Who acts on a claim: the signed-in user, their membership and permissions. */
export type Officer = {
  userId: string;
  memberId: string | null;
  permissions: ReadonlySet<Permission>;
};

export type Upload = { filename: string; content: Buffer };

const nb = translator('nb');
const en = translator('en');

/** A field message in both languages, from a message key. */
export function fieldMessage(key: MessageKey): Translations {
  return { nb: nb(key), en: en(key) };
}

const RECEIPT_ERRORS: Record<ReceiptProblem, () => AppError> = {
  missing: () =>
    ExpenseErrors.receiptMissing(undefined, { receipt: fieldMessage('expenses.receipt_missing') }),
  too_large: () =>
    ExpenseErrors.receiptTooLarge(undefined, {
      receipt: fieldMessage('expenses.receipt_too_large'),
    }),
  type: () =>
    ExpenseErrors.receiptType(undefined, { receipt: fieldMessage('expenses.receipt_type') }),
};

/** The receipt ready to store, or the error that says what is wrong with it. */
export function requireReceipt(upload: Upload | null): CheckedReceipt {
  const checked = checkReceipt(upload);
  if ('problem' in checked) throw RECEIPT_ERRORS[checked.problem]();
  return checked.receipt;
}

/** An error whose message names a claim's status in each language. */
function statusError(
  make: typeof ExpenseErrors.wrongStatus,
  claim: Pick<Claim, 'number'>,
  status: ClaimStatus,
): AppError {
  const base = make();
  const key = `expenses.status.${status}` as MessageKey;
  return new AppError({
    code: base.code,
    status: base.status,
    messages: {
      nb: interpolate(base.messages.nb, { number: claim.number, status: nb(key) }),
      en: interpolate(base.messages.en, { number: claim.number, status: en(key) }),
    },
  });
}

/** The fiscal year a date belongs to: the journal's setting, else the calendar year. */
export async function fiscalYearOf(db: Db, date: string): Promise<number> {
  const row = await db
    .selectFrom('finance_settings')
    .select('fiscal_year_start_month')
    .where('id', '=', 'main')
    .executeTakeFirst();
  return associationYear(date, row?.fiscal_year_start_month ?? 1).year;
}

async function requireAssociation(db: Db): Promise<Association> {
  const association = await findAssociation(db);
  if (!association) throw CommonErrors.setupRequired();
  return association;
}

export function today(association: Association, now: Date): string {
  return todayIn(association.timeZone, now);
}

/** Queues the claimant's email about a claim, in the caller's transaction. */
export async function notifyClaimant(
  db: Db,
  opts: {
    claim: Claim;
    kind: ClaimMailKind;
    association: Association;
    baseUrl: string;
    now: Date;
  },
): Promise<void> {
  const member = await findMemberById(db, opts.claim.memberId);
  if (!member) return;
  const user = member.userId ? await findUserById(db, member.userId) : null;
  const to = member.email ?? user?.email ?? null;
  if (!to) return;
  const locale: Locale = user?.locale ?? opts.association.defaultLocale;
  const c = opts.claim;
  await enqueueEmail(db, {
    message: claimMessage({
      kind: opts.kind,
      to,
      name: member.name,
      association: opts.association.name,
      locale,
      number: c.number,
      amountOre: c.amountOre,
      description: c.description,
      spentOn: c.spentOn,
      reason: c.reason,
      paidOn: c.paidOn,
      reference: c.paymentReference,
      payeeAccount: c.payeeAccount,
      link: `${opts.baseUrl}/expenses/${c.number}`,
    }),
    at: opts.now,
  });
}

async function checkClaimInput(
  db: Db,
  input: ClaimInput,
  association: Association,
  now: Date,
): Promise<void> {
  const fields: Record<string, Translations> = {};
  if (input.spentOn > today(association, now))
    fields['spent_on'] = fieldMessage('expenses.spent_on_future');
  const categories = await expenseCategories(db);
  if (!categories.some((c) => c.number === input.category))
    fields['category'] = fieldMessage('form.invalid_choice');
  if (input.vatOre > input.amountOre) fields['vat'] = fieldMessage('expenses.vat_above_amount');
  if (Object.keys(fields).length > 0) throw CommonErrors.validation(undefined, fields);
}

function claimAudit(c: Claim) {
  return {
    number: c.number,
    status: c.status,
    spentOn: c.spentOn,
    amountOre: c.amountOre,
    vatOre: c.vatOre,
    category: c.category,
  };
}

/**
 * A member submits a claim with its receipt. Everything is checked before anything is
 * written, and all of it is written in one transaction: a refused claim leaves nothing.
 */
export async function submitClaim(
  deps: Deps,
  opts: { actor: Actor; claimant: Claimant; input: ClaimInput; upload: Upload | null },
): Promise<{ claim: Claim }> {
  const { claimant, input } = opts;
  if (!claimant.memberId || claimant.memberStatus !== 'active')
    throw ExpenseErrors.notActiveMember();
  const memberId = claimant.memberId;
  const now = deps.clock.now();
  const association = await requireAssociation(deps.db);
  const receipt = requireReceipt(opts.upload);
  await checkClaimInput(deps.db, input, association, now);
  const claim = await deps.db.transaction().execute(async (tx) => {
    const id = newId(now.getTime());
    const number = await nextNumber(tx, 'expense_claim');
    await insertClaim(tx, {
      id,
      number,
      member_id: memberId,
      submitted_by: claimant.userId,
      series_id: null,
      spent_on: input.spentOn,
      amount_ore: input.amountOre,
      vat_ore: input.vatOre,
      description: input.description,
      category: input.category,
      payee_account: input.payeeAccount,
      status: 'submitted',
      attested_by: null,
      attested_at: null,
      approved_by: null,
      approved_at: null,
      paid_on: null,
      payment_reference: null,
      paid_by: null,
      reason: null,
      fiscal_year: await fiscalYearOf(tx, input.spentOn),
      pseudonymised_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await insertReceipt(tx, { claimId: id, receipt, now });
    const claim = (await findClaimById(tx, id))!;
    await insertClaimEvent(tx, {
      claimId: id,
      at: now,
      actorUserId: opts.actor.userId,
      actorLabel: opts.actor.label,
      action: 'submitted',
      note: null,
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'expenses.claim_submitted',
      entityType: 'expense_claim',
      entityId: id,
      after: {
        ...claimAudit(claim),
        receiptSha256: receipt.sha256,
        receiptType: receipt.contentType,
      },
      at: now,
    });
    await notifyClaimant(tx, {
      claim,
      kind: 'submitted',
      association,
      baseUrl: deps.config.baseUrl,
      now,
    });
    return claim;
  });
  deps.kickOutbox();
  return { claim };
}

async function ownClaim(db: Db, claimant: Claimant, number: number): Promise<Claim> {
  const claim = await findClaimByNumber(db, number);
  // Another member's claim is answered as if it did not exist.
  if (!claim || !claimant.memberId || claim.memberId !== claimant.memberId)
    throw ExpenseErrors.notFound();
  return claim;
}

/**
 * The claimant corrects a claim that was sent back, and submits it again. The attestation
 * starts over. A new receipt is optional (the earlier ones are kept).
 */
export async function resubmitClaim(
  deps: Deps,
  opts: {
    actor: Actor;
    claimant: Claimant;
    number: number;
    input: ClaimInput;
    upload: Upload | null;
  },
): Promise<{ claim: Claim }> {
  const now = deps.clock.now();
  const association = await requireAssociation(deps.db);
  const before = await ownClaim(deps.db, opts.claimant, opts.number);
  if (before.status !== 'returned')
    throw statusError(ExpenseErrors.wrongStatus, before, before.status);
  const hasUpload = !!opts.upload && opts.upload.content.length > 0;
  const receipt = hasUpload ? requireReceipt(opts.upload) : null;
  await checkClaimInput(deps.db, opts.input, association, now);
  const claim = await deps.db.transaction().execute(async (tx) => {
    const i = opts.input;
    const moved = await transitionClaim(tx, {
      id: before.id,
      from: 'returned',
      set: {
        status: 'submitted',
        spent_on: i.spentOn,
        amount_ore: i.amountOre,
        vat_ore: i.vatOre,
        description: i.description,
        category: i.category,
        payee_account: i.payeeAccount,
        fiscal_year: await fiscalYearOf(tx, i.spentOn),
        attested_by: null,
        attested_at: null,
        approved_by: null,
        approved_at: null,
        reason: null,
        updated_at: now.toISOString(),
      },
    });
    if (!moved) {
      const current = (await findClaimById(tx, before.id))!;
      throw statusError(ExpenseErrors.changedMeanwhile, current, current.status);
    }
    if (receipt) await insertReceipt(tx, { claimId: before.id, receipt, now });
    if (!receipt && (await countReceipts(tx, before.id)) === 0) throw RECEIPT_ERRORS.missing();
    const claim = (await findClaimById(tx, before.id))!;
    await insertClaimEvent(tx, {
      claimId: claim.id,
      at: now,
      actorUserId: opts.actor.userId,
      actorLabel: opts.actor.label,
      action: 'resubmitted',
      note: null,
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'expenses.claim_resubmitted',
      entityType: 'expense_claim',
      entityId: claim.id,
      before: claimAudit(before),
      after: { ...claimAudit(claim), receiptSha256: receipt?.sha256 ?? null },
      at: now,
    });
    await notifyClaimant(tx, {
      claim,
      kind: 'submitted',
      association,
      baseUrl: deps.config.baseUrl,
      now,
    });
    return claim;
  });
  deps.kickOutbox();
  return { claim };
}

/** The claimant adds a receipt to a claim still waiting (a claim from a series, say). */
export async function attachReceipt(
  deps: Deps,
  opts: { actor: Actor; claimant: Claimant; number: number; upload: Upload | null },
): Promise<{ claim: Claim }> {
  const now = deps.clock.now();
  const claim = await ownClaim(deps.db, opts.claimant, opts.number);
  if (claim.status !== 'submitted' && claim.status !== 'returned')
    throw statusError(ExpenseErrors.wrongStatus, claim, claim.status);
  const receipt = requireReceipt(opts.upload);
  await deps.db.transaction().execute(async (tx) => {
    // Read again under the transaction: a claim attested meanwhile takes no more receipts.
    const current = (await findClaimById(tx, claim.id))!;
    if (current.status !== 'submitted' && current.status !== 'returned')
      throw statusError(ExpenseErrors.changedMeanwhile, current, current.status);
    await insertReceipt(tx, { claimId: claim.id, receipt, now });
    await insertClaimEvent(tx, {
      claimId: claim.id,
      at: now,
      actorUserId: opts.actor.userId,
      actorLabel: opts.actor.label,
      action: 'receipt_added',
      note: receipt.filename,
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: 'expenses.receipt_added',
      entityType: 'expense_claim',
      entityId: claim.id,
      after: { number: claim.number, sha256: receipt.sha256, contentType: receipt.contentType },
      at: now,
    });
  });
  return { claim };
}

export const CLAIM_ACTIONS = ['attest', 'approve', 'pay', 'reject', 'return'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

/** What each step needs: the permission, and the statuses it starts from. */
const STEP: Record<
  ClaimAction,
  { permissions: Permission[]; from: ClaimStatus[]; to: ClaimStatus; mail: ClaimMailKind }
> = {
  attest: {
    permissions: ['expenses.attest'],
    from: ['submitted'],
    to: 'attested',
    mail: 'attested',
  },
  approve: {
    permissions: ['expenses.approve'],
    from: ['attested'],
    to: 'approved',
    mail: 'approved',
  },
  pay: { permissions: ['finance.manage'], from: ['approved'], to: 'paid', mail: 'paid' },
  reject: {
    permissions: ['expenses.attest', 'expenses.approve', 'finance.manage'],
    from: ['submitted', 'attested', 'approved'],
    to: 'rejected',
    mail: 'rejected',
  },
  return: {
    permissions: ['expenses.attest', 'expenses.approve', 'finance.manage'],
    from: ['submitted', 'attested', 'approved'],
    to: 'returned',
    mail: 'returned',
  },
};

export function mayAct(officer: Pick<Officer, 'permissions'>, action: ClaimAction): boolean {
  return STEP[action].permissions.some((p) => officer.permissions.has(p));
}

export function isOwnClaim(
  officer: Pick<Officer, 'userId' | 'memberId'>,
  claim: Pick<Claim, 'memberId' | 'submittedBy'>,
): boolean {
  return (
    (officer.memberId !== null && claim.memberId === officer.memberId) ||
    claim.submittedBy === officer.userId
  );
}

/**
 * Which steps this officer may take on this claim now (for the buttons). The use-case
 * checks the same rules again; this only decides what to show.
 */
export function availableActions(
  officer: Officer,
  claim: Pick<Claim, 'memberId' | 'submittedBy' | 'status' | 'attestedBy'>,
  receipts: number,
): ClaimAction[] {
  const out: ClaimAction[] = [];
  for (const action of CLAIM_ACTIONS) {
    const step = STEP[action];
    if (!mayAct(officer, action) || !step.from.includes(claim.status)) continue;
    if (action !== 'pay' && isOwnClaim(officer, claim)) continue;
    if (action === 'approve' && claim.attestedBy === officer.userId) continue;
    if (action === 'attest' && receipts === 0) continue;
    out.push(action);
  }
  return out;
}

/**
 * An officer's step on a claim. The rules, in the order they are checked:
 * the permission for the step; nobody acts on their own claim (the treasurer may record
 * the payment of their own claim once two others have attested and approved it); the
 * claim must be in a status the step starts from (a paid claim is never paid again); the
 * person who attested may not approve (the two-person rule); a claim without a receipt
 * cannot be attested. Then one UPDATE … WHERE status = the status read: when two officers
 * act at once, one wins and the other is told what happened.
 */
export async function actOnClaim(
  deps: Deps,
  opts: {
    actor: Actor;
    officer: Officer;
    number: number;
    action: ClaimAction;
    reason?: string | null;
    paidOn?: string | null;
    reference?: string | null;
  },
): Promise<{ claim: Claim }> {
  const { officer, action } = opts;
  const step = STEP[action];
  if (!mayAct(officer, action)) throw CommonErrors.forbidden();
  const now = deps.clock.now();
  const association = await requireAssociation(deps.db);
  const before = await findClaimByNumber(deps.db, opts.number);
  if (!before) throw ExpenseErrors.notFound();
  if (action !== 'pay' && isOwnClaim(officer, before)) throw ExpenseErrors.ownClaim();
  if (action === 'pay' && before.status === 'paid') throw alreadyPaid(before);
  if (!step.from.includes(before.status))
    throw statusError(ExpenseErrors.wrongStatus, before, before.status);
  if (action === 'approve' && before.attestedBy === officer.userId)
    throw ExpenseErrors.attesterCannotApprove();
  if (action === 'attest' && (await countReceipts(deps.db, before.id)) === 0)
    throw ExpenseErrors.receiptRequired({ number: before.number });
  const reason = opts.reason?.trim() || null;
  if ((action === 'reject' || action === 'return') && !reason)
    throw CommonErrors.validation(undefined, { reason: fieldMessage('form.required') });
  if (action === 'pay') {
    const fields: Record<string, Translations> = {};
    if (!opts.paidOn) fields['paid_on'] = fieldMessage('form.required');
    else if (opts.paidOn > today(association, now))
      fields['paid_on'] = fieldMessage('expenses.paid_on_future');
    if (!opts.reference?.trim()) fields['reference'] = fieldMessage('form.required');
    if (Object.keys(fields).length > 0) throw CommonErrors.validation(undefined, fields);
  }

  const at = now.toISOString();
  const set: Parameters<typeof transitionClaim>[1]['set'] = { status: step.to, updated_at: at };
  if (action === 'attest') Object.assign(set, { attested_by: officer.userId, attested_at: at });
  if (action === 'approve') Object.assign(set, { approved_by: officer.userId, approved_at: at });
  if (action === 'pay')
    Object.assign(set, {
      paid_on: opts.paidOn,
      payment_reference: opts.reference!.trim(),
      paid_by: officer.userId,
    });
  if (action === 'reject') Object.assign(set, { reason });
  if (action === 'return')
    Object.assign(set, {
      reason,
      attested_by: null,
      attested_at: null,
      approved_by: null,
      approved_at: null,
    });

  const claim = await deps.db.transaction().execute(async (tx) => {
    const moved = await transitionClaim(tx, { id: before.id, from: before.status, set });
    if (!moved) {
      const current = (await findClaimById(tx, before.id))!;
      if (action === 'pay' && current.status === 'paid') throw alreadyPaid(current);
      throw statusError(ExpenseErrors.changedMeanwhile, current, current.status);
    }
    const claim = (await findClaimById(tx, before.id))!;
    await insertClaimEvent(tx, {
      claimId: claim.id,
      at: now,
      actorUserId: opts.actor.userId,
      actorLabel: opts.actor.label,
      action: step.to,
      note:
        action === 'pay' ? `${claim.paidOn ?? ''} ${claim.paymentReference ?? ''}`.trim() : reason,
    });
    await recordAudit(tx, {
      actor: opts.actor,
      action: `expenses.claim_${step.to}`,
      entityType: 'expense_claim',
      entityId: claim.id,
      before: { status: before.status },
      after: {
        number: claim.number,
        status: claim.status,
        ...(reason ? { reason } : {}),
        ...(action === 'pay'
          ? { paidOn: claim.paidOn, reference: claim.paymentReference, amountOre: claim.amountOre }
          : {}),
      },
      at: now,
    });
    await notifyClaimant(tx, {
      claim,
      kind: step.mail,
      association,
      baseUrl: deps.config.baseUrl,
      now,
    });
    return claim;
  });
  deps.kickOutbox();
  return { claim };
}

function alreadyPaid(claim: Claim): AppError {
  return ExpenseErrors.alreadyPaid({
    number: claim.number,
    paidOn: claim.paidOn ?? '–',
    reference: claim.paymentReference ?? '–',
  });
}

/** Who may see a claim: its claimant, and the officers who keep or check the money. */
export function maySeeClaim(
  viewer: Officer,
  claim: Pick<Claim, 'memberId' | 'submittedBy'>,
): boolean {
  if (isOwnClaim(viewer, claim)) return true;
  return isOfficer(viewer);
}

export function isOfficer(viewer: Pick<Officer, 'permissions'>): boolean {
  const p = viewer.permissions;
  return (
    p.has('expenses.attest') ||
    p.has('expenses.approve') ||
    p.has('finance.manage') ||
    p.has('finance.read')
  );
}
