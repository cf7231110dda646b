import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from './bootstrap.js';
import { localeFromAcceptLanguage } from './i18n.js';
import { dictionaries } from './messages.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../test/helpers/app.js';
import { describeEachDialect } from '../../test/helpers/db.js';

describe('Accept-Language', () => {
  it('maps Norwegian variants to nb and honours weights', () => {
    expect(localeFromAcceptLanguage('nn-NO,nn;q=0.9')).toBe('nb');
    expect(localeFromAcceptLanguage('no')).toBe('nb');
    expect(localeFromAcceptLanguage('en-GB,en;q=0.9,nb;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('de-DE,en;q=0.5,nb;q=0.7')).toBe('nb');
    expect(localeFromAcceptLanguage('de-DE')).toBeNull();
    expect(localeFromAcceptLanguage(undefined)).toBeNull();
  });

  it('has an English text for every Norwegian one, and no empty texts', () => {
    const nb = Object.keys(dictionaries.nb).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(nb);
    for (const [k, v] of Object.entries(dictionaries.en)) expect(v, k).not.toBe('');
    for (const [k, v] of Object.entries(dictionaries.nb)) expect(v, k).not.toBe('');
  });
});

describeEachDialect('language and redirects over HTTP', (h) => {
  let app: Running;
  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
  });
  afterAll(async () => app.close());

  it('serves nb by default, en by Accept-Language, and remembers ?lang=', async () => {
    const nb = await new TestClient(app.url).get('/login');
    expect(nb.html).toContain('<html lang="nb">');
    expect(nb.html).toContain('Logg inn');
    const en = await new TestClient(app.url, { 'accept-language': 'en-US,en;q=0.9' }).get('/login');
    expect(en.html).toContain('<html lang="en">');
    expect(en.html).toContain('Forgot your password?');
    const client = new TestClient(app.url);
    await client.get('/login?lang=en');
    const next = await client.get('/signup');
    expect(next.html).toContain('Create an account');
  });

  it('follows only same-site paths after login', async () => {
    const client = new TestClient(app.url);
    await client.get('/login?next=//evil.example/steal');
    const res = await client.post('/login', {
      email: ADMIN.email,
      password: ADMIN.password,
      next: '//evil.example/steal',
    });
    expect(res.res.headers.get('location')).toBe('/membership');
    const other = new TestClient(app.url);
    await other.get('/login');
    const ok = await other.post('/login', {
      email: ADMIN.email,
      password: ADMIN.password,
      next: '/account',
    });
    expect(ok.res.headers.get('location')).toBe('/account');
  });

  it('points the language switch of a form shown again after a POST at the page of the form', async () => {
    const ours = new TestClient(app.url, { referer: `${app.url}/login?next=%2Faccount` });
    await ours.get('/login?next=%2Faccount');
    const again = await ours.post('/login', { email: ADMIN.email, password: 'wrong password' });
    expect(again.html).toContain('Logg inn');
    expect(again.html).toContain('href="/login?next=%2Faccount&amp;lang=en"');
    const foreign = new TestClient(app.url, { referer: 'https://evil.example/x' });
    await foreign.get('/login');
    const other = await foreign.post('/login', { email: ADMIN.email, password: 'wrong password' });
    expect(other.html).toContain('href="/?lang=en"');
    expect(other.html).not.toContain('evil.example');
  });

  it('answers /healthz and unknown pages', async () => {
    const client = new TestClient(app.url);
    const health = await client.request('GET', '/healthz');
    expect(await health.json()).toEqual({ status: 'ok' });
    const missing = await client.get('/no-such-page');
    expect(missing.res.status).toBe(404);
    expect(missing.html).toContain('Siden finnes ikke');
    const api = await client.request('GET', '/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({
      error: { code: 'common.not_found', message: 'Siden finnes ikke.' },
    });
  });
});
