import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { fixedClock } from '../../app/clock.js';
import { startTestApp } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';

describeEachDialect('scheduled jobs before setup', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database(), clock: fixedClock('2026-05-02T06:00:00Z') });
  });
  afterAll(async () => app.close());

  it('run the daily jobs as no-ops on a fresh install instead of failing', async () => {
    const { ran, failed } = await app.jobs.tick();
    expect(failed).toBe(0);
    // maintenance, lapse and reminders (and other modules' daily jobs) are due at 06:00 UTC
    // Only the jobs due now run; recurring jobs of other modules may already be scheduled
    // for later.
    const rows = await h
      .db()
      .selectFrom('jobs')
      .select(['name', 'status'])
      .where('run_at', '<=', '2026-05-02T06:00:00.000Z')
      .orderBy('name')
      .execute();
    expect(ran).toBe(rows.length);
    expect(rows).toEqual(
      expect.arrayContaining([
        { name: 'billing.lapse', status: 'done' },
        { name: 'billing.reminders', status: 'done' },
        { name: 'maintenance', status: 'done' },
      ]),
    );
    expect(rows.every((r) => r.status === 'done')).toBe(true);
  });
});
