// Shared steps of the governance browser journeys: logging people in, each in a browser
// context of their own, and seeding the members a general assembly starts with.
import type { Kysely } from 'kysely';
import type { Browser, Locator, Page } from 'playwright-core';
import type { DB } from '../../src/app/database.js';
import { translator } from '../../src/app/i18n.js';
import { openPage } from './browser.js';
import { createMemberUser, PASSWORD } from './fixtures.js';

const nb = translator('nb');

export type Person = Awaited<ReturnType<typeof createMemberUser>>;

export function button(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('button', { name, exact: true });
}

export async function fill(scope: Page | Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value);
}

/** Waits for the flash message (or any text) to show on the page. */
export async function shows(page: Page, text: string): Promise<void> {
  await page.getByText(text).first().waitFor();
}

export async function logIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await fill(page, nb('accounts.field.email'), email);
  await fill(page, nb('accounts.field.password'), PASSWORD);
  await button(page, nb('accounts.login.submit')).click();
  await button(page, nb('nav.logout')).waitFor();
}

/** A new browser context (its own cookies) with the person logged in. */
export async function openAs(
  browser: Browser,
  baseUrl: string,
  person: Person,
  viewport?: { width: number; height: number },
): Promise<Page> {
  const { page } = await openPage(browser, { baseUrl, ...(viewport ? { viewport } : {}) });
  await logIn(page, person.user.email);
  return page;
}

/** An officer creates a vote on the meeting's votes page and opens it; returns its path. */
export async function createAndOpenVote(
  officer: Page,
  meetingPath: string,
  v: { subject: string; kind: string; rule: string; proposal: string },
): Promise<string> {
  await officer.goto(`${meetingPath}/votes`);
  await fill(officer, nb('votes.field.subject'), v.subject);
  await officer.getByLabel(nb('votes.field.kind'), { exact: true }).selectOption(v.kind);
  await officer.getByLabel(nb('votes.field.rule'), { exact: true }).selectOption(v.rule);
  await officer
    .getByLabel(nb('votes.field.proposal'), { exact: true })
    .selectOption({ label: v.proposal });
  await button(officer, nb('votes.create')).click();
  await shows(officer, nb('votes.created'));
  await button(officer, nb('votes.open')).click();
  await shows(officer, nb('votes.opened'));
  return new URL(officer.url()).pathname;
}

/**
 * Active members with accounts who joined on `joinedOn` (a membership without overdue
 * dues counts as paid for the voter register), keyed by their first name.
 */
export async function seedMembers<N extends string>(
  db: Kysely<DB>,
  names: Record<N, string>,
  joinedOn: string,
  offices: Partial<Record<N, 'board_member'[]>> = {},
): Promise<Record<N, Person>> {
  const people = {} as Record<N, Person>;
  for (const key of Object.keys(names) as N[]) {
    const office = offices[key];
    const person = await createMemberUser(db, {
      name: names[key],
      ...(office ? { offices: office } : {}),
    });
    await db
      .updateTable('members')
      .set({ joined_on: joinedOn })
      .where('id', '=', person.member.id)
      .execute();
    people[key] = person;
  }
  return people;
}
