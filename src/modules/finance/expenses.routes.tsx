import { Hono } from 'hono';
import type { Context } from 'hono';
import type { AppEnv, CurrentUser } from '../../app/context.js';
import { AppError, CommonErrors } from '../../app/errors.js';
import { emptyForm, formValues, zodFieldErrors, type FormState } from '../../app/forms.js';
import { redirectWithFlash } from '../../app/flash.js';
import type { MessageKey } from '../../app/i18n.js';
import { page } from '../../app/layout.js';
import { actorOf, requireUser } from '../../app/middleware.js';
import { findMemberById } from '../members/members.repository.js';
import { checkReceipt, receiptDownloadName } from './expense-receipt.js';
import { QueuePage, type QueueSection } from './expense-queue.views.js';
import { expenseSeriesRoutes } from './expense-series.routes.js';
import { expenseCategories } from './expenses.categories.js';
import { ExpenseErrors } from './expenses.errors.js';
import {
  findClaimByNumber,
  lastPayeeAccount,
  listClaimEvents,
  listClaimsInStatus,
  listClaimsOfMember,
  listReceipts,
  listRecentlyClosed,
  readReceiptContent,
  type Claim,
} from './expenses.repository.js';
import { claimFormSchema, claimInputOf, paySchema, reasonSchema } from './expenses.schemas.js';
import {
  actOnClaim,
  attachReceipt,
  availableActions,
  isOfficer,
  isOwnClaim,
  mayAct,
  maySeeClaim,
  resubmitClaim,
  submitClaim,
  today,
  type ClaimAction,
  type Claimant,
  type Officer,
  type Upload,
} from './expenses.usecases.js';
import { ClaimFormPage, ClaimPage, MyClaimsPage, type ClaimView } from './expenses.views.js';

type C = Context<AppEnv>;

const NUM = ':number{[0-9]{1,9}}';

export function claimantOf(user: CurrentUser): Claimant {
  return { userId: user.id, memberId: user.memberId, memberStatus: user.memberStatus };
}

export function officerOf(user: CurrentUser): Officer {
  return { userId: user.id, memberId: user.memberId, permissions: user.permissions };
}

function currentUser(c: C): CurrentUser {
  const user = c.get('user');
  if (!user) throw CommonErrors.unauthenticated();
  return user;
}

function todayOf(c: C): string {
  const association = c.get('association');
  if (!association) throw CommonErrors.setupRequired();
  return today(association, c.get('ctx').clock.now());
}

/** The form's text fields and its file (the receipt), from a multipart body. */
async function readClaimForm(
  c: C,
): Promise<{ values: Record<string, string>; upload: Upload | null }> {
  const body = await c.req.parseBody();
  const values: Record<string, string> = {};
  let upload: Upload | null = null;
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string') values[k] = v;
    else if (k === 'receipt' && v.size > 0)
      upload = { filename: v.name, content: Buffer.from(await v.arrayBuffer()) };
  }
  return { values, upload };
}

const RECEIPT_KEYS = {
  missing: 'expenses.receipt_missing',
  too_large: 'expenses.receipt_too_large',
  type: 'expenses.receipt_type',
} as const satisfies Record<string, MessageKey>;

/** The messages of a domain error, per field, in the page's language. */
function appErrorState(c: C, err: AppError, values: Record<string, string>): FormState {
  const locale = c.get('locale');
  const errors: Record<string, string> = {};
  for (const [field, messages] of Object.entries(err.fields ?? {}))
    errors[field] = messages[locale];
  return { values, errors, message: err.message_(locale) };
}

async function loadClaimView(c: C, number: number): Promise<ClaimView> {
  const user = currentUser(c);
  const db = c.get('ctx').db;
  const claim = await findClaimByNumber(db, number);
  if (!claim) throw ExpenseErrors.notFound();
  const viewer = officerOf(user);
  if (!maySeeClaim(viewer, claim)) throw CommonErrors.forbidden();
  const [member, receipts, events, categories] = await Promise.all([
    findMemberById(db, claim.memberId),
    listReceipts(db, claim.id),
    listClaimEvents(db, claim.id),
    expenseCategories(db),
  ]);
  const own = isOwnClaim(viewer, claim);
  const actions = availableActions(viewer, claim, receipts.length);
  return {
    claim,
    memberName: member?.name ?? '–',
    memberNumber: member?.memberNumber ?? 0,
    receipts,
    events,
    categories,
    own,
    actions,
    blocked: blockedReason(viewer, claim, receipts.length, own),
  };
}

/** Why an officer cannot take the step the claim waits for (shown, so the rule is visible). */
function blockedReason(
  viewer: Officer,
  claim: Claim,
  receipts: number,
  own: boolean,
): ClaimView['blocked'] {
  const p = viewer.permissions;
  const waitsForAttest = claim.status === 'submitted' && p.has('expenses.attest');
  const waitsForApprove = claim.status === 'attested' && p.has('expenses.approve');
  if (!waitsForAttest && !waitsForApprove) return null;
  if (own) return 'own';
  if (waitsForApprove && claim.attestedBy === viewer.userId) return 'attester';
  if (waitsForAttest && receipts === 0) return 'receipt';
  return null;
}

async function renderClaim(c: C, number: number, state?: FormState, status = 200) {
  const view = await loadClaimView(c, number);
  return page(c, {
    title: c.get('t')('expenses.claim_title', { number }),
    status,
    body: <ClaimPage c={c} view={view} today={todayOf(c)} {...(state ? { state } : {})} />,
  });
}

async function renderForm(c: C, state: FormState, status = 200, edit?: Claim) {
  const categories = await expenseCategories(c.get('ctx').db);
  const t = c.get('t');
  return page(c, {
    title: edit ? t('expenses.edit_title', { number: edit.number }) : t('expenses.new_title'),
    status,
    body: <ClaimFormPage c={c} state={state} categories={categories} {...(edit ? { edit } : {})} />,
  });
}

/**
 * Checks the claim form and its receipt together, so every message shows at once; the
 * use-case checks again (the API comes in without this).
 */
function validateClaimForm(
  c: C,
  values: Record<string, string>,
  upload: Upload | null,
  receiptRequired: boolean,
) {
  const t = c.get('t');
  const parsed = claimFormSchema.safeParse(values);
  const errors = parsed.success ? {} : zodFieldErrors(parsed.error, t);
  if (receiptRequired || upload) {
    const checked = checkReceipt(upload);
    if ('problem' in checked) errors['receipt'] = t(RECEIPT_KEYS[checked.problem]);
  }
  if (!parsed.success || Object.keys(errors).length > 0)
    return { errors, state: { values, errors, message: t('form.errors_heading') } };
  return { input: claimInputOf(parsed.data) };
}

/** Expense claims: submit with receipt, attest, approve, pay, reject, return; series. */
export function expensesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.route('/', expenseSeriesRoutes());

  app.get('/expenses', requireUser(), async (c) => {
    const user = currentUser(c);
    const claims = user.memberId ? await listClaimsOfMember(c.get('ctx').db, user.memberId) : [];
    return page(c, {
      title: c.get('t')('expenses.title'),
      body: (
        <MyClaimsPage
          c={c}
          claims={claims}
          canSubmit={user.memberStatus === 'active'}
          isOfficer={isOfficer(officerOf(user))}
        />
      ),
    });
  });

  app.get('/expenses/new', requireUser(), async (c) => {
    const user = currentUser(c);
    if (!user.memberId || user.memberStatus !== 'active') throw ExpenseErrors.notActiveMember();
    const account = await lastPayeeAccount(c.get('ctx').db, user.memberId);
    return renderForm(c, emptyForm({ spent_on: todayOf(c), payee_account: account ?? '' }));
  });

  app.post('/expenses/new', requireUser(), async (c) => {
    const user = currentUser(c);
    if (!user.memberId || user.memberStatus !== 'active') throw ExpenseErrors.notActiveMember();
    const { values, upload } = await readClaimForm(c);
    const checked = validateClaimForm(c, values, upload, true);
    if (!checked.input) return renderForm(c, checked.state, 400);
    try {
      const { claim } = await submitClaim(c.get('ctx'), {
        actor: actorOf(c),
        claimant: claimantOf(user),
        input: checked.input,
        upload,
      });
      return redirectWithFlash(c, `/expenses/${claim.number}`, 'expenses.flash.submitted');
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return renderForm(c, appErrorState(c, err, values), err.status);
      throw err;
    }
  });

  app.get('/expenses/queue', requireUser(), async (c) => {
    const user = currentUser(c);
    const officer = officerOf(user);
    if (!isOfficer(officer)) throw CommonErrors.forbidden();
    const db = c.get('ctx').db;
    const open = await listClaimsInStatus(db, ['submitted', 'attested', 'approved', 'returned']);
    const sections: QueueSection[] = [];
    const mine = (a: ClaimAction, cl: (typeof open)[number]) =>
      availableActions(officer, cl, cl.receipts).includes(a);
    if (officer.permissions.has('expenses.attest'))
      sections.push({ key: 'to_attest', claims: open.filter((cl) => mine('attest', cl)) });
    if (officer.permissions.has('expenses.approve'))
      sections.push({ key: 'to_approve', claims: open.filter((cl) => mine('approve', cl)) });
    if (officer.permissions.has('finance.manage'))
      sections.push({ key: 'to_pay', claims: open.filter((cl) => mine('pay', cl)) });
    const listed = new Set(sections.flatMap((s) => s.claims.map((cl) => cl.id)));
    sections.push({ key: 'waiting', claims: open.filter((cl) => !listed.has(cl.id)) });
    sections.push({ key: 'recent', claims: await listRecentlyClosed(db) });
    return page(c, {
      title: c.get('t')('expenses.queue_title'),
      body: <QueuePage c={c} sections={sections} />,
    });
  });

  app.get(`/expenses/${NUM}`, requireUser(), (c) => renderClaim(c, Number(c.req.param('number'))));

  // The receipt, for the claimant and the officers only; always as a download, with the
  // content type found when it was checked, so a browser never renders it in our origin.
  app.get(`/expenses/${NUM}/receipts/:rid{[0-9a-z]{26}}`, requireUser(), async (c) => {
    const view = await loadClaimView(c, Number(c.req.param('number')));
    const rid = c.req.param('rid');
    const position = view.receipts.findIndex((r) => r.id === rid);
    const file =
      position >= 0
        ? await readReceiptContent(c.get('ctx').db, { claimId: view.claim.id, receiptId: rid })
        : null;
    if (!file) throw ExpenseErrors.notFound();
    const name = receiptDownloadName(view.claim.number, position + 1, file.contentType);
    return c.body(new Uint8Array(file.content), 200, {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${name}"`,
      'Content-Length': String(file.content.length),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
  });

  app.post(`/expenses/${NUM}/receipts`, requireUser(), async (c) => {
    const number = Number(c.req.param('number'));
    const user = currentUser(c);
    const { upload } = await readClaimForm(c);
    try {
      await attachReceipt(c.get('ctx'), {
        actor: actorOf(c),
        claimant: claimantOf(user),
        number,
        upload,
      });
      return redirectWithFlash(c, `/expenses/${number}`, 'expenses.flash.receipt_added');
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404)
        return renderClaim(c, number, appErrorState(c, err, {}), err.status);
      throw err;
    }
  });

  const ownReturned = async (c: C, number: number): Promise<Claim> => {
    const user = currentUser(c);
    const claim = await findClaimByNumber(c.get('ctx').db, number);
    if (!claim) throw ExpenseErrors.notFound();
    if (!user.memberId || claim.memberId !== user.memberId) throw CommonErrors.forbidden();
    return claim;
  };

  app.get(`/expenses/${NUM}/edit`, requireUser(), async (c) => {
    const claim = await ownReturned(c, Number(c.req.param('number')));
    if (claim.status !== 'returned') return c.redirect(`/expenses/${claim.number}`, 303);
    return renderForm(
      c,
      emptyForm({
        spent_on: claim.spentOn,
        amount: (claim.amountOre / 100).toFixed(2).replace('.', ','),
        vat: claim.vatOre ? (claim.vatOre / 100).toFixed(2).replace('.', ',') : '',
        description: claim.description,
        category: claim.category,
        payee_account: claim.payeeAccount,
      }),
      200,
      claim,
    );
  });

  app.post(`/expenses/${NUM}/edit`, requireUser(), async (c) => {
    const user = currentUser(c);
    const claim = await ownReturned(c, Number(c.req.param('number')));
    const { values, upload } = await readClaimForm(c);
    const checked = validateClaimForm(c, values, upload, false);
    if (!checked.input) return renderForm(c, checked.state, 400, claim);
    try {
      await resubmitClaim(c.get('ctx'), {
        actor: actorOf(c),
        claimant: claimantOf(user),
        number: claim.number,
        input: checked.input,
        upload,
      });
      return redirectWithFlash(c, `/expenses/${claim.number}`, 'expenses.flash.resubmitted');
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return renderForm(c, appErrorState(c, err, values), err.status, claim);
      throw err;
    }
  });

  app.post(
    `/expenses/${NUM}/:action{attest|approve|pay|reject|return}`,
    requireUser(),
    async (c) => {
      const user = currentUser(c);
      const number = Number(c.req.param('number'));
      const action = c.req.param('action') as ClaimAction;
      const t = c.get('t');
      const values = { ...(await formValues(c)), _action: action };
      let extra: { reason?: string; paidOn?: string; reference?: string } = {};
      if (action === 'pay' || action === 'reject' || action === 'return') {
        const parsed = (action === 'pay' ? paySchema : reasonSchema).safeParse(values);
        if (!parsed.success) {
          // A member without the office learns nothing about the claim: 403 before the form.
          if (!mayAct(officerOf(user), action)) throw CommonErrors.forbidden();
          return renderClaim(
            c,
            number,
            { values, errors: zodFieldErrors(parsed.error, t), message: t('form.errors_heading') },
            400,
          );
        }
        const data = parsed.data as { reason?: string; paid_on?: string; reference?: string };
        extra = {
          ...(data.reason ? { reason: data.reason } : {}),
          ...(data.paid_on ? { paidOn: data.paid_on } : {}),
          ...(data.reference ? { reference: data.reference } : {}),
        };
      }
      try {
        await actOnClaim(c.get('ctx'), {
          actor: actorOf(c),
          officer: officerOf(user),
          number,
          action,
          ...extra,
        });
        return redirectWithFlash(
          c,
          `/expenses/${number}`,
          `expenses.flash.${action}` as MessageKey,
        );
      } catch (err) {
        if (err instanceof AppError && err.status < 500 && err.code !== CommonErrors.forbidden.code)
          return renderClaim(c, number, appErrorState(c, err, values), err.status);
        throw err;
      }
    },
  );

  return app;
}
