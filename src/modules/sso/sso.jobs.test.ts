import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { ensureSigningKey, rotateSigningKeys } from './oidc-keys.js';
import { cleanUpSso, RETIRED_KEY_DAYS, ssoJobs } from './sso.jobs.js';

const SECRET = 'a-test-app-secret-that-is-long-enough-0123';
const DAY = 24 * 60 * 60 * 1000;

describeEachDialect('sso cleanup job', (h) => {
  it('removes expired artefacts, used-up nonces and long-retired keys, and nothing else', async () => {
    const db = h.db();
    const now = new Date('2026-03-02T02:00:00Z');
    const iso = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const row = (id: string, expires: string | null) => ({
      model: 'AccessToken',
      id,
      payload: '{}',
      account_id: 'u1',
      client_id: 'c1',
      grant_id: null,
      uid: null,
      user_code: null,
      expires_at: expires,
      consumed_at: null,
    });
    await db
      .insertInto('oidc_payloads')
      .values([row('old', iso(-1000)), row('live', iso(60_000)), row('forever', null)])
      .execute();
    await db
      .insertInto('discourse_nonces')
      .values([
        { nonce: 'n-old', service_id: 's', used_at: iso(-DAY), expires_at: iso(-1000) },
        { nonce: 'n-live', service_id: 's', used_at: iso(-1000), expires_at: iso(DAY) },
      ])
      .execute();
    await ensureSigningKey(db, { secret: SECRET, now: new Date(now.getTime() - 100 * DAY) });
    const first = await rotateSigningKeys(db, {
      secret: SECRET,
      now: new Date(now.getTime() - (RETIRED_KEY_DAYS + 5) * DAY),
    });
    const second = await rotateSigningKeys(db, {
      secret: SECRET,
      now: new Date(now.getTime() - DAY),
    });

    expect(await cleanUpSso({ db }, now)).toEqual({ payloads: 1, nonces: 1, keys: 1 });
    const ids = await db.selectFrom('oidc_payloads').select('id').orderBy('id').execute();
    expect(ids.map((r) => r.id)).toEqual(['forever', 'live']);
    const nonces = await db.selectFrom('discourse_nonces').select('nonce').execute();
    expect(nonces.map((n) => n.nonce)).toEqual(['n-live']);
    const keys = await db.selectFrom('oidc_keys').select(['kid', 'status']).execute();
    // The key retired a day ago still verifies; the one retired long ago is gone.
    expect(keys.map((k) => k.kid).sort()).toEqual([first.kid, second.kid].sort());
  });
});

describe('sso jobs', () => {
  it('schedule the cleanup daily', () => {
    const jobs = ssoJobs({} as never);
    expect(Object.keys(jobs.handlers)).toEqual(['sso.cleanup']);
    expect(jobs.recurring.map((r) => r.name)).toEqual(['sso.cleanup']);
  });
});
