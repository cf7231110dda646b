import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { systemActor } from '../../app/audit.js';
import { fixedClock } from '../../app/clock.js';
import { setUpAssociation, startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMemberUser } from '../../../test/helpers/fixtures.js';
import { loggedIn } from '../members/members.test-support.js';
import { setPublished } from '../finance/reports-publish.js';
import { NOW, scheduleViaForm } from './governance.test-support.js';

describeEachDialect('governance: the accounts and the budget on the agenda', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock(NOW) });
    await setUpAssociation(app);
  });
  afterAll(async () => app.close());

  it('links the published accounts and budget from those agenda items, and nothing unpublished', async () => {
    const board = await loggedIn(
      app,
      (await createMemberUser(h.db(), { offices: ['board_member'] })).user.email,
    );
    const member = await loggedIn(app, (await createMemberUser(h.db())).user.email);
    const id = await scheduleViaForm(board);

    const before = await member.get(`/meetings/${id}`);
    expect(before.html).not.toContain('/finance/annual/');

    // The meeting is in 2027: last year's accounts and next year's budget are published.
    for (const [year, kind] of [
      [2026, 'accounts'],
      [2027, 'budget'],
      [2025, 'accounts'],
    ] as const)
      await setPublished(app.ctx, { actor: systemActor, year, kind, published: true });
    const after = await member.get(`/meetings/${id}`);
    expect(after.html).toContain('href="/finance/annual/2026"');
    expect(after.html).toContain('Regnskapet for 2026');
    expect(after.html).toContain('href="/finance/annual/2027"');
    expect(after.html).toContain('Budsjettet for 2027');
    expect(after.html).not.toContain('/finance/annual/2025');
  });
});
