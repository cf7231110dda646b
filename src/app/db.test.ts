import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from './bootstrap.js';
import { startTestApp } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';

describeEachDialect('database connections', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
  });
  afterAll(async () => app.close());

  it('keeps serving after the database server closes idle connections', async () => {
    // Open a few pooled connections, then have the server end every one but the killer's.
    await Promise.all([1, 2, 3].map(() => fetch(`${app.url}/healthz`)));
    if (h.dialect === 'postgres') {
      const killed = await sql<{ n: number }>`
        select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`.execute(h.db());
      expect(killed.rows[0]!.n).toBeGreaterThanOrEqual(0);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(200);
    }
  });
});
