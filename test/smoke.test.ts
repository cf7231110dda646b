import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../src/app/bootstrap.js';
import { describeEachDialect } from './helpers/db.js';
import { startTestApp, TestClient, ADMIN } from './helpers/app.js';

describeEachDialect('first run', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
  });
  afterAll(async () => app.close());

  it('leads every page to /setup, sets up once, and logs the administrator in', async () => {
    const client = new TestClient(app.url);
    const home = await client.get('/');
    expect(home.res.status).toBe(303);
    expect(home.res.headers.get('location')).toBe('/setup');
    const setupPage = await client.get('/setup');
    expect(setupPage.html).toContain('name="admin_email"');

    const bad = await client.post('/setup', {
      name: 'X',
      org_number: '123456789',
      year_start_month: '7',
      time_zone: 'Europe/Oslo',
      default_locale: 'nb',
      admin_name: 'A',
      admin_handle: 'a',
      admin_email: 'nope',
      admin_password: 'short',
    });
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('Organisasjonsnummeret er ugyldig');
    expect(bad.html).toContain('value="X"');

    const ok = await client.post('/setup', {
      name: 'Datafellesskapet',
      org_number: '974 760 673',
      year_start_month: '7',
      time_zone: 'Europe/Oslo',
      default_locale: 'nb',
      require_approval: 'on',
      admin_name: ADMIN.name,
      admin_handle: ADMIN.handle,
      admin_email: ADMIN.email,
      admin_password: ADMIN.password,
      admin_is_member: 'on',
    });
    expect(ok.res.status, ok.html.match(/<div class="alert"[\s\S]*?<\/div>/)?.[0]).toBe(303);
    const after = await client.get('/');
    expect(after.html).toContain('Velkommen til Datafellesskapet');
    expect(after.html).toContain('Ada Admin');

    const again = await client.get('/setup');
    expect(again.res.status).toBe(303);
    const second = await new TestClient(app.url).submit('/login', '/setup', { name: 'Other' });
    expect(second.res.status).toBe(409);
  });
});
