import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Running } from '../../app/bootstrap.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { newId } from '../../app/ids.js';
import { ADMIN, setUpAssociation, startTestApp, TestClient } from '../../../test/helpers/app.js';
import { describeEachDialect } from '../../../test/helpers/db.js';
import { createMember, createMemberUser, PASSWORD } from '../../../test/helpers/fixtures.js';
import { insertPeriod } from './members.repository.js';
import { importMembers } from './register-import.usecases.js';
import { findRegisterPage } from './register.repository.js';

/** Member names in the order the table lists them. */
function names(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<a href="\/members\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

/** The result count line, e.g. "10 treff". */
function count(html: string): string {
  return /<p role="status">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
}

function numbers(html: string): number[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr><td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
}

describeEachDialect('member register list', (h) => {
  let app: Running;
  let board: TestClient;
  let kari: { id: string; memberNumber: number };
  let treasurerName: string;
  let plainEmail: string;
  const people: { name: string; joinedOn: string }[] = [];

  beforeAll(async () => {
    app = await startTestApp({ database: h.database() });
    await setUpAssociation(app);
    const db = h.db();
    const { user: boardUser } = await createMemberUser(db, {
      offices: ['board_member'],
      name: 'Bente Styre',
    });
    const { user: treasurer } = await createMemberUser(db, {
      offices: ['treasurer'],
      name: 'Trond Kasserer',
    });
    treasurerName = treasurer.name;
    const { user: plain } = await createMemberUser(db, { name: 'Petter Plain' });
    plainEmail = plain.email;
    kari = await createMember(db, { name: 'Kari Nordmann', email: 'kari@example.org' });
    await createMember(db, {
      name: 'Ola Hansen',
      email: 'ola.hansen@example.org',
      status: 'lapsed',
      typeCode: 'reduced',
    });
    await createMember(db, { name: 'Bedrift AS', email: null, typeCode: 'organisation' });
    await createMember(db, { name: '100% Prosent_Ruth', email: 'ruth@example.org' });
    const now = app.ctx.clock.now();
    const year = associationYear(todayIn('Europe/Oslo', now), 1);
    await insertPeriod(
      db,
      {
        id: newId(),
        memberId: kari.id,
        year: year.year,
        startsOn: year.startsOn,
        endsOn: year.endsOn,
        paidAt: now.toISOString(),
      },
      now,
    );
    // 120 more, imported, with join dates spread over the years.
    const csv = ['name,email,type,joined_on'];
    for (let i = 1; i <= 120; i++) {
      const n = String(i).padStart(3, '0');
      const joinedOn = `${2000 + (i % 20)}-01-${String((i % 28) + 1).padStart(2, '0')}`;
      csv.push(`Person ${n},person${n}@example.org,ordinary,${joinedOn}`);
      people.push({ name: `Person ${n}`, joinedOn });
    }
    const report = await importMembers(app.ctx, {
      actor: { userId: null, label: 'test' },
      bytes: Buffer.from(csv.join('\n')),
      commit: true,
    });
    expect(report.committed).toBe(true);
    board = new TestClient(app.url);
    await board.logIn(boardUser.email, PASSWORD);
  });
  afterAll(async () => app.close());

  it('is for officers only', async () => {
    const anonymous = await new TestClient(app.url).get('/members');
    expect(anonymous.res.status).toBe(303);
    expect(anonymous.res.headers.get('location')).toBe('/login?next=%2Fmembers');
    const plain = new TestClient(app.url);
    await plain.logIn(plainEmail, PASSWORD);
    for (const path of ['/members', '/members?q=kari', '/members/export.csv', '/members/import'])
      expect((await plain.get(path)).res.status, path).toBe(403);
  });

  it('searches name, email and member number', async () => {
    expect(names((await board.get('/members?q=nordmann')).html)).toEqual(['Kari Nordmann']);
    expect(names((await board.get('/members?q=KARI+nord')).html)).toEqual(['Kari Nordmann']);
    expect(names((await board.get('/members?q=ola.hansen%40')).html)).toEqual(['Ola Hansen']);
    expect(names((await board.get('/members?q=%25+prosent_')).html)).toEqual(['100% Prosent_Ruth']);
    expect(names((await board.get('/members?q=%25%25')).html)).toEqual([]);
    const byNumber = await board.get(`/members?q=${kari.memberNumber}`);
    expect(names(byNumber.html)).toContain('Kari Nordmann');
    expect(byNumber.html).toContain(
      `Medlem nr. ${kari.memberNumber}: <a href="/members/${kari.id}">Kari Nordmann</a>`,
    );
    const otherFilter = await board.get(`/members?q=${kari.memberNumber}&status=lapsed`);
    expect(otherFilter.html).not.toContain('Medlem nr.');
    const page = await board.get('/members?q=person+011');
    // "011" is in Person 011's name, and is also member number 11 (Person 003).
    expect(names(page.html)).toEqual(['Person 003', 'Person 011']);
    expect(count(page.html)).toBe('2 treff');
  });

  it('filters by status, type, office and payment', async () => {
    expect(names((await board.get('/members?status=lapsed')).html)).toEqual(['Ola Hansen']);
    expect(names((await board.get('/members?type=organisation')).html)).toEqual(['Bedrift AS']);
    expect(names((await board.get('/members?office=treasurer')).html)).toEqual([treasurerName]);
    expect(names((await board.get('/members?paid=paid')).html)).toEqual(['Kari Nordmann']);
    const unpaid = await board.get('/members?paid=unpaid&q=nordmann');
    expect(names(unpaid.html)).toEqual([]);
    const combined = await board.get('/members?status=active&type=ordinary&q=kari');
    expect(names(combined.html)).toEqual(['Kari Nordmann']);
    // Empty selects mean "all".
    const blank = await board.get('/members?status=&type=&office=&paid=&q=nordmann');
    expect(names(blank.html)).toEqual(['Kari Nordmann']);
  });

  it('refuses unknown filter values, and falls back on a bad sort or page', async () => {
    const status = await board.get('/members?status=sleeping&q=kari');
    expect(status.res.status).toBe(400);
    expect(status.html).toContain('Søket har ugyldige verdier');
    expect(status.html).toContain('<li>Status: Velg et av alternativene.</li>');
    expect(status.html).toContain('value="kari"');
    const type = await board.get('/members?type=gold');
    expect(type.res.status).toBe(400);
    expect(type.html).toContain('Ukjent medlemstype «gold»');
    const office = await board.get('/members?office=king');
    expect(office.res.status).toBe(400);
    const sort = await board.get('/members?sort=password_hash&dir=sideways&page=x');
    expect(sort.res.status).toBe(200);
    expect(numbers(sort.html).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('sorts by the whitelisted columns, both ways', async () => {
    const byNumberDesc = numbers((await board.get('/members?dir=desc')).html);
    expect(byNumberDesc[0]).toBeGreaterThan(byNumberDesc[1]!);
    const byName = names((await board.get('/members?sort=name')).html);
    expect(byName.slice(0, 3)).toEqual(['100% Prosent_Ruth', 'Ada Admin', 'Bedrift AS']);
    const byNameDesc = names((await board.get('/members?sort=name&dir=desc')).html);
    expect(byNameDesc[0]).toBe('Trond Kasserer');
    const joined = names((await board.get('/members?sort=joined_on&q=person')).html);
    // Earliest first; ties (same date) in member-number order, which is import order.
    const expected = people
      .map((p, i) => ({ ...p, i }))
      .sort((a, b) => a.joinedOn.localeCompare(b.joinedOn) || a.i - b.i)
      .map((p) => p.name);
    expect(joined).toEqual(expected.slice(0, 50));
    const joinedDesc = names((await board.get('/members?sort=joined_on&dir=desc&q=person')).html);
    expect(joinedDesc).toEqual([...expected].reverse().slice(0, 50));
    const byStatus = names((await board.get('/members?sort=status&dir=desc&q=a')).html);
    expect(byStatus[0]).toBe('Ola Hansen'); // lapsed after active
    const headers = await board.get('/members?sort=name');
    expect(headers.html).toContain('aria-sort="ascending"');
    expect(headers.html).toContain('href="/members?sort=name&amp;dir=desc"');
  });

  it('pages 50 at a time, keeping the query in the links', async () => {
    const first = await board.get('/members?q=person&sort=name');
    expect(count(first.html)).toBe('120 treff');
    expect(first.html).toContain('Side 1 av 3');
    expect(names(first.html)).toHaveLength(50);
    expect(first.html).toContain('href="/members?q=person&amp;sort=name&amp;page=2" rel="next"');
    expect(first.html).not.toContain('rel="prev"');
    const second = await board.get('/members?q=person&sort=name&page=2');
    expect(names(second.html)[0]).toBe('Person 051');
    expect(second.html).toContain('href="/members?q=person&amp;sort=name" rel="prev"');
    const last = await board.get('/members?q=person&sort=name&page=3');
    expect(names(last.html)).toHaveLength(20);
    expect(last.html).not.toContain('rel="next"');
    const beyond = await board.get('/members?q=person&sort=name&page=99');
    expect(beyond.html).toContain('Side 3 av 3');
    expect(names(beyond.html)[0]).toBe('Person 101');
    const all = await board.get('/members');
    expect(count(all.html)).toBe(`${120 + 8} treff`);
    expect(names(all.html)[0]).toBe(ADMIN.name);
  });

  it('counts a broad search only up to the cap, and filters exactly', async () => {
    const none = { q: null, status: null, typeId: null, office: null, paid: null };
    const scope = { today: '2026-11-27', year: 2026, dialect: h.dialect };
    const base = { scope, sort: 'name' as const, dir: 'asc' as const, countCap: 100 };
    const broad = await findRegisterPage(h.db(), {
      ...base,
      filter: { ...none, q: 'person' },
      page: 9,
    });
    expect(broad).toMatchObject({ total: 100, capped: true, pages: 2, page: 2 });
    expect(broad.rows.map((r) => r.name)[0]).toBe('Person 051');
    const active = await findRegisterPage(h.db(), {
      ...base,
      filter: { ...none, status: 'active' },
      page: 1,
    });
    expect(active).toMatchObject({ total: 127, capped: false, pages: 3 });
    const narrow = await findRegisterPage(h.db(), {
      ...base,
      filter: { ...none, q: 'person 11' },
      page: 1,
    });
    expect(narrow.capped).toBe(false);
    expect(narrow.total).toBe(narrow.rows.length);
    expect(narrow.rows.map((r) => r.name)).toContain('Person 011');
  });
});
