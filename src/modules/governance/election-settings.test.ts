import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp, type TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { standardElectionSpecs } from './elections.usecases.js';
import {
  DEFAULT_GOVERNANCE_SETTINGS,
  getGovernanceSettings,
} from './governance-settings.repository.js';
import { daysAhead, NOW, scheduleViaForm, SETTINGS_FORM } from './governance.test-support.js';

// The standard elections as settings (issue 5): the form, its validation, and the
// elections the one click creates.

const MEETING_DAY = daysAhead(30);

/** The message shown beside a field of the form, if any. */
function fieldError(html: string, name: string): string | undefined {
  return new RegExp(`id="f-${name}-error"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();
}

describeEachDialect('governance: election settings', (h) => {
  let app: Running;
  let board: TestClient;
  let boardEmail = '';
  let memberEmail = '';
  const db = () => h.db();

  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
    boardEmail = (await createMemberUser(db(), { offices: ['board_member'], name: 'Bente Board' }))
      .user.email;
    memberEmail = (await createMemberUser(db(), { name: 'Mona Medlem' })).user.email;
    board = await loggedIn(app, boardEmail);
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows the election settings with their defaults, only to the board', async () => {
    const page = await board.get('/governance/settings');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('Standardvalg');
    const elections = ['board', 'alternate', 'auditor'].flatMap((o) => [
      `${o}_seats`,
      `${o}_term_months`,
    ]);
    for (const name of elections)
      expect(page.html).toMatch(new RegExp(`name="${name}"[^>]*value="${SETTINGS_FORM[name]}"`));
    const member = await loggedIn(app, memberEmail);
    expect((await member.get('/governance/settings')).res.status).toBe(403);
    const post = await member.post('/governance/settings', { ...SETTINGS_FORM, board_seats: '3' });
    expect(post.res.status).toBe(403);
    expect(await getGovernanceSettings(db())).toEqual(DEFAULT_GOVERNANCE_SETTINGS);
  });

  it('refuses seats and terms out of range, with a message per field, and keeps the input', async () => {
    await board.get('/governance/settings');
    const bad = await board.post('/governance/settings', {
      ...SETTINGS_FORM,
      board_seats: '0',
      board_term_months: '61',
      alternate_seats: '16',
      alternate_term_months: '0',
      auditor_seats: '',
      auditor_term_months: 'tolv',
    });
    expect(bad.res.status).toBe(400);
    const term = 'En valgperiode må være fra 1 til 60 måneder.';
    for (const [name, message] of Object.entries({
      board_seats: 'Styret må ha fra 1 til 15 medlemmer.',
      board_term_months: term,
      alternate_seats: 'Antall varamedlemmer må være fra 0 til 15.',
      alternate_term_months: term,
      auditor_seats: 'Antall revisorer må være fra 0 til 15.',
      auditor_term_months: term,
    }))
      expect(fieldError(bad.html, name), name).toBe(message);
    expect(bad.html).toMatch(/name="auditor_term_months"[^>]*value="tolv"/);
    // Past the upper bounds of the board too, and a fraction.
    const big = await board.post('/governance/settings', {
      ...SETTINGS_FORM,
      board_seats: '16',
      board_term_months: '1.5',
    });
    expect(big.res.status).toBe(400);
    expect(fieldError(big.html, 'board_seats')).toBe('Styret må ha fra 1 til 15 medlemmer.');
    expect(fieldError(big.html, 'board_term_months')).toBe(term);
    expect(fieldError(big.html, 'alternate_seats')).toBeUndefined();
    expect(await getGovernanceSettings(db())).toEqual(DEFAULT_GOVERNANCE_SETTINGS);

    // In English too.
    await board.get('/governance/settings?lang=en');
    const en = await board.post('/governance/settings', {
      ...SETTINGS_FORM,
      board_seats: '0',
      auditor_term_months: '0',
    });
    board.cookies.delete('alm_lang');
    expect(en.res.status).toBe(400);
    expect(fieldError(en.html, 'board_seats')).toBe('The board must have from 1 to 15 members.');
    expect(fieldError(en.html, 'auditor_term_months')).toBe('A term must be from 1 to 60 months.');
  });

  it('saves the election settings (bounds included), audited', async () => {
    await board.get('/governance/settings');
    const ok = await board.post('/governance/settings', {
      ...SETTINGS_FORM,
      board_seats: '3',
      board_term_months: '12',
      alternate_seats: '0',
      alternate_term_months: '60',
      auditor_seats: '2',
      auditor_term_months: '24',
    });
    expect(ok.res.status).toBe(303);
    expect(await getGovernanceSettings(db())).toEqual({
      ...DEFAULT_GOVERNANCE_SETTINGS,
      boardSeats: 3,
      boardTermMonths: 12,
      alternateSeats: 0,
      alternateTermMonths: 60,
      auditorSeats: 2,
      auditorTermMonths: 24,
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'governance.settings_updated')
      .execute();
    expect(audit.at(-1)?.after).toContain('"boardSeats":3');
    const page = await board.get('/governance/settings');
    expect(page.html).toMatch(/name="board_seats"[^>]*value="3"/);
  });

  it('creates the standard elections by the settings: a board of 3 for 12 months, no alternates, 2 auditors', async () => {
    // Settings from the test above. Bente's open-ended board term holds one seat.
    const meetingId = await scheduleViaForm(board, { date: MEETING_DAY });
    const base = `/meetings/${meetingId}/elections`;
    const page = await board.get(base);
    expect(page.html).toContain('Styremedlem · 2 plass(er) · 12 måneder');
    expect(page.html).toContain('Revisor · 2 plass(er) · 24 måneder');
    expect(page.html).not.toContain('Varamedlem ·');
    const r = await board.post(`${base}/standard`, { request_key: 'settings-standard-1' });
    expect(r.res.status).toBe(303);
    const rows = await db()
      .selectFrom('elections')
      .select(['office', 'seats', 'term_months'])
      .where('meeting_id', '=', meetingId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(rows.map((e) => [e.office, e.seats, e.term_months])).toEqual([
      ['board_member', 2, 12],
      ['auditor', 2, 24],
    ]);
  });

  it('starts the stagger at a founding meeting: half the board (rounded up) for a full term', async () => {
    const founding = { kind: 'founding', meetingDate: MEETING_DAY };
    const specs = (s: Partial<typeof DEFAULT_GOVERNANCE_SETTINGS>) =>
      standardElectionSpecs(db(), founding, { ...DEFAULT_GOVERNANCE_SETTINGS, ...s });
    // The defaults: data.coop's 3 + 2.
    expect(await specs({})).toEqual([
      { office: 'board_member', seats: 3, termMonths: 24 },
      { office: 'board_member', seats: 2, termMonths: 12 },
      { office: 'board_alternate', seats: 2, termMonths: 12 },
      { office: 'auditor', seats: 1, termMonths: 12 },
    ]);
    expect(
      await specs({ boardSeats: 3, boardTermMonths: 12, alternateSeats: 0, auditorSeats: 2 }),
    ).toEqual([
      { office: 'board_member', seats: 2, termMonths: 12 },
      { office: 'board_member', seats: 1, termMonths: 6 },
      { office: 'auditor', seats: 2, termMonths: 12 },
    ]);
    // One seat: no half term; a one-month term still gives at least a month.
    expect(await specs({ boardSeats: 1, alternateSeats: 0, auditorSeats: 0 })).toEqual([
      { office: 'board_member', seats: 1, termMonths: 24 },
    ]);
    expect(
      await specs({ boardSeats: 4, boardTermMonths: 1, alternateSeats: 0, auditorSeats: 0 }),
    ).toEqual([
      { office: 'board_member', seats: 2, termMonths: 1 },
      { office: 'board_member', seats: 2, termMonths: 1 },
    ]);
  });
});
