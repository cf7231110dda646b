import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';

const HEADER = 'member_number;name;email;type;status;joined_on;city;org_number;contact_person';

/** A clean file of `n` members (semicolons, as Norwegian Excel writes): half numbered. */
function memberCsv(n: number, prefix: string): string[] {
  const lines = [HEADER];
  for (let i = 1; i <= n; i++) {
    const number = i % 2 === 0 ? String(10_000 + i) : '';
    const status = i % 10 === 0 ? 'lapsed' : i % 7 === 0 ? 'applied' : '';
    lines.push(
      i === 5
        ? `${number};Fjordkraft AS;;organisation;active;2021-03-04;Bergen;974 760 673;Per Olsen`
        : `${number};Medlem ${prefix} ${i};${prefix}${i}@example.org;ordinary;${status};2020-05-17;Tromsø;;`,
    );
  }
  return lines;
}

/** Posts a file to the import form, as a browser would (multipart, CSRF token from the page). */
async function upload(
  client: TestClient,
  content: string | Uint8Array,
  mode: 'check' | 'commit',
  opts: { csrf?: boolean } = {},
) {
  await client.get('/members/import');
  const form = new FormData();
  if (opts.csrf !== false) form.set('_csrf', client.csrf());
  form.set('mode', mode);
  form.set('file', new Blob([content], { type: 'text/csv' }), 'members.csv');
  const res = await client.request('POST', '/members/import', { body: form });
  return { res, html: await res.text() };
}

/** The bad-row table as line → text. */
function badRows(html: string): Map<number, string> {
  const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g)];
  return new Map(rows.map((m) => [Number(m[1]), m[2]!.replace(/&quot;/g, '"')]));
}

describeEachDialect('member CSV import', (h) => {
  let app: Running;
  let board: TestClient;
  let treasurer: TestClient;
  let plain: TestClient;

  const count = async (table: 'members' | 'member_status_changes' | 'membership_periods') =>
    Number(
      (
        await h
          .db()
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const counter = async () =>
    (
      await h
        .db()
        .selectFrom('counters')
        .select('value')
        .where('name', '=', 'member_number')
        .executeTakeFirstOrThrow()
    ).value;

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const db = h.db();
    const login = async (offices: ('board_member' | 'treasurer')[]) => {
      const { user } = await createMemberUser(db, { offices });
      const client = new TestClient(app.url);
      await client.logIn(user.email, PASSWORD);
      return client;
    };
    board = await login(['board_member']);
    treasurer = await login(['treasurer']);
    plain = await login([]);
    await createMember(db, { name: 'Existing', email: 'taken@example.org' });
  });
  afterAll(async () => app.close());

  it('is only for members.import, and needs the CSRF token', async () => {
    expect((await treasurer.get('/members/import')).res.status).toBe(403);
    expect((await plain.get('/members/import')).res.status).toBe(403);
    await treasurer.get('/members');
    const form = new FormData();
    form.set('_csrf', treasurer.csrf());
    form.set('mode', 'commit');
    form.set('file', new Blob([memberCsv(3, 'x').join('\n')]), 'm.csv');
    const refused = await treasurer.request('POST', '/members/import', { body: form });
    expect(refused.status).toBe(403);

    const before = await count('members');
    const noToken = await upload(board, memberCsv(3, 'x').join('\n'), 'commit', { csrf: false });
    expect(noToken.res.status).toBe(403);
    expect(noToken.html).toContain('Skjemaet var utløpt eller ugyldig');
    expect(await count('members')).toBe(before);

    const page = await board.get('/members/import');
    expect(page.html).toContain('enctype="multipart/form-data"');
    expect(page.html).toContain('<label for="f-file">CSV-fil</label>');
  });

  it('explains files it cannot read at all', async () => {
    const columns = await upload(board, 'navn,epost,type\nA,a@example.org,ordinary\n', 'check');
    expect(columns.res.status).toBe(400);
    expect(columns.html).toContain('Ukjente kolonner i overskriftsraden: navn, epost');
    const missing = await upload(board, 'email\na@example.org\n', 'check');
    expect(missing.html).toContain('Påkrevde kolonner mangler i overskriftsraden: name, type');
    const latin1 = Buffer.concat([
      Buffer.from('name,type\nJ'),
      Buffer.from([0xf8]),
      Buffer.from('rgen,ordinary\n'),
    ]);
    const encoding = await upload(board, latin1, 'check');
    expect(encoding.res.status).toBe(400);
    expect(encoding.html).toContain('Filen er ikke gyldig UTF-8');
    expect(encoding.html).toContain('aria-invalid="true"');
    const none = await board.request('POST', '/members/import', {
      body: (() => {
        const f = new FormData();
        f.set('_csrf', board.csrf());
        return f;
      })(),
    });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Velg en CSV-fil');
  });

  it('dry run lists every bad row with its line and changes nothing', async () => {
    const lines = memberCsv(2000, 'dry');
    lines[10] = ';Bad Email;not-an-email;ordinary;;;;;'; // line 11
    lines[20] = ';Twin;dry1@example.org;ordinary;;;;;'; // line 21, same as line 2
    lines[30] = ';Gold;gold@example.org;gold;;;;;'; // line 31
    lines[40] = ';Org;org@example.org;organisation;;;;123456789;'; // line 41
    lines[50] = ';Date;date@example.org;ordinary;;2023-13-01;;;'; // line 51
    lines[60] = ';Taken;taken@example.org;ordinary;;;;;'; // line 61, in the register
    lines[70] = '1;Number one;one@example.org;ordinary;;;;;'; // line 71, number in use
    const before = await count('members');
    const { res, html } = await upload(board, `\uFEFF${lines.join('\r\n')}`, 'check');
    expect(res.status).toBe(200);
    const bad = badRows(html);
    expect([...bad.keys()]).toEqual([11, 21, 31, 41, 51, 61, 71]);
    expect(bad.get(11)).toBe('email: ugyldig e-postadresse.');
    expect(bad.get(21)).toBe('email: samme verdi som på linje 2.');
    expect(bad.get(31)).toContain('type: ukjent medlemstype «gold»');
    expect(bad.get(41)).toContain('org_number: ugyldig organisasjonsnummer');
    expect(bad.get(51)).toBe('joined_on: ugyldig dato (ÅÅÅÅ-MM-DD).');
    expect(bad.get(61)).toMatch(/^email: finnes allerede i registeret \(medlem nr\. \d+\)\.$/);
    expect(bad.get(71)).toBe('member_number: 1 er allerede i bruk.');
    expect(html).toContain('1993 av 2000 rader er i orden, 7 har feil.');
    expect(await count('members')).toBe(before);
  });

  it('imports nothing when a single row is bad', async () => {
    const lines = memberCsv(2000, 'one');
    lines[1999] = ';Last;last@example.org;ordinary;;17.05.2020;;;';
    const before = { members: await count('members'), counter: await counter() };
    const { res, html } = await upload(board, lines.join('\n'), 'commit');
    expect(res.status).toBe(422);
    expect(html).toContain('Ingen medlemmer ble importert');
    expect([...badRows(html).keys()]).toEqual([2000]);
    expect(await count('members')).toBe(before.members);
    expect(await counter()).toBe(before.counter);
  });

  it('commits all rows in one go, and refuses the same file again', async () => {
    const file = memberCsv(2000, 'ok').join('\n');
    const before = {
      members: await count('members'),
      changes: await count('member_status_changes'),
      periods: await count('membership_periods'),
    };
    const { res, html } = await upload(board, file, 'commit');
    expect(res.status, html.match(/<div class="alert"[\s\S]*?<\/div>/)?.[0]).toBe(200);
    expect(html).toContain('Importerte 2000 medlemmer.');
    // Numbered rows go up to 12000; the 1000 without a number come after.
    expect(html).toContain('Medlemsnumre tildelt: 12001–13000.');
    expect(await count('members')).toBe(before.members + 2000);
    expect(await count('member_status_changes')).toBe(before.changes + 2000);
    const active = memberCsv(2000, 'ok').filter((l) => /;(active)?;\d{4}-/.test(l)).length;
    expect(await count('membership_periods')).toBe(before.periods + active);
    expect(await counter()).toBe(13000);

    const db = h.db();
    const org = await db
      .selectFrom('members')
      .selectAll()
      .where('name', '=', 'Fjordkraft AS')
      .executeTakeFirstOrThrow();
    expect(org).toMatchObject({
      org_number: '974760673',
      contact_person: 'Per Olsen',
      joined_on: '2021-03-04',
      city: 'Bergen',
      status: 'active',
    });
    const second = await db
      .selectFrom('members')
      .select(['member_number', 'status', 'email', 'search_text'])
      .where('email', '=', 'ok2@example.org')
      .executeTakeFirstOrThrow();
    expect(second).toEqual({
      member_number: 10002,
      status: 'active',
      email: 'ok2@example.org',
      search_text: 'medlem ok 2 ok2@example.org 10002 ',
    });
    const change = await db
      .selectFrom('member_status_changes')
      .innerJoin('members', 'members.id', 'member_status_changes.member_id')
      .select(['to_status', 'reason', 'from_status'])
      .where('members.email', '=', 'ok7@example.org')
      .executeTakeFirstOrThrow();
    expect(change).toEqual({ to_status: 'applied', reason: 'imported', from_status: null });
    // One audit entry for the import; each member's record is its 'imported' change.
    const audits = await db
      .selectFrom('audit_log')
      .select(['after', 'entity_type'])
      .where('action', '=', 'members.imported')
      .execute();
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0]!.after ?? '{}')).toMatchObject({
      file: 'members.csv',
      rows: 2000,
      imported: 2000,
      givenNumbers: 1000,
      assigned: { first: 12001, last: 13000 },
    });
    const imported = await db
      .selectFrom('member_status_changes')
      .select(sql<number>`count(*)`.as('n'))
      .where('reason', '=', 'imported')
      .executeTakeFirstOrThrow();
    expect(Number(imported.n)).toBe(2000);

    // Members added later continue the series.
    const later = await createMember(db, { name: 'Later' });
    expect(later.memberNumber).toBe(13001);

    // The same file again: every row is a duplicate, nothing is imported.
    const again = await upload(board, file, 'check');
    expect(again.res.status).toBe(200);
    expect(again.html).toContain('0 av 2000 rader er i orden, 2000 har feil.');
    expect(again.html).toContain('Akkurat denne filen ble importert');
    expect(again.html).toContain('1000 rader til har feil');
    const bad = badRows(again.html);
    expect(bad.size).toBe(1000);
    expect(bad.get(2)).toMatch(/^email: finnes allerede i registeret \(medlem nr\. \d+\)\.$/);
    expect(bad.get(3)).toContain('member_number: 10002 er allerede i bruk.');
    expect(bad.get(6)).toContain('org_number: finnes allerede i registeret');
    const refused = await upload(board, file, 'commit');
    expect(refused.res.status).toBe(422);
    expect(await count('members')).toBe(before.members + 2001);
  });
});
