import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from './bootstrap.js';
import { startTestApp } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';
import { withBulkPageCache } from './db.js';

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

describeEachDialect('page cache for bulk jobs', (h) => {
  const cacheSize = async () =>
    h.dialect === 'sqlite'
      ? Number(
          (await sql<{ cache_size: number }>`pragma cache_size`.execute(h.db())).rows[0]!
            .cache_size,
        )
      : null;

  it('gives SQLite a 32 MiB page cache while the last bulk job runs, then the default', async () => {
    const before = await cacheSize();
    const seen: (number | null)[] = [];
    let release!: () => void;
    const outer = withBulkPageCache(h.db(), async () => {
      seen.push(await cacheSize());
      await new Promise<void>((resolve) => (release = resolve));
      seen.push(await cacheSize());
      return 'outer';
    });
    const inner = await withBulkPageCache(h.db(), async () => {
      seen.push(await cacheSize());
      return 'inner';
    });
    seen.push(await cacheSize());
    release();
    expect(await outer).toBe('outer');
    expect(inner).toBe('inner');
    if (h.dialect === 'sqlite') {
      expect(before).toBe(-2000);
      // The inner job ended while the outer still ran: the large cache stays.
      expect(seen).toEqual([-32768, -32768, -32768, -32768]);
      expect(await cacheSize()).toBe(-2000);
    } else expect(seen).toEqual([null, null, null, null]);
  });

  it('gives the default back when the job fails', async () => {
    await expect(
      withBulkPageCache(h.db(), () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    if (h.dialect === 'sqlite') expect(await cacheSize()).toBe(-2000);
  });
});
