import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from './bootstrap.js';
import { MAX_BODY_BYTES } from './server.js';
import { setUpAssociation, startTestApp, TestClient } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';

describeEachDialect('request size limits', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
  });
  afterAll(async () => app.close());

  it('refuses a form body over 1 MB with 413 and a clear message, before any handler runs', async () => {
    const client = new TestClient(app.url);
    await client.get('/signup');
    const big = 'x'.repeat(MAX_BODY_BYTES + 10);
    const res = await client.post('/signup', {
      name: big,
      handle: 'bigbody',
      email: 'big@example.org',
      password: 'long enough password',
    });
    expect(res.res.status).toBe(413);
    expect(res.html).toContain('Forespørselen er for stor');
    const created = await h
      .db()
      .selectFrom('users')
      .select('id')
      .where('handle', '=', 'bigbody')
      .executeTakeFirst();
    expect(created).toBeUndefined();
  });

  it('answers an oversized API request in the JSON error format', async () => {
    const res = await fetch(`${app.url}/api/v1/me`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(MAX_BODY_BYTES + 10),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: { code: 'common.too_large', message: 'Forespørselen er for stor.' },
    });
  });
});
