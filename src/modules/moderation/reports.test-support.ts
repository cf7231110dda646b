// Helpers for the report, hearing and webhook tests (imported by *.test.ts only).
import type { Kysely } from 'kysely';
import type { DB } from '../../app/database.js';
import { newId } from '../../app/ids.js';
import { secretBox } from '../../app/secret-box.js';

/** A service in the catalogue, with an inbound secret for report webhooks when given one. */
export async function insertReportingService(
  db: Kysely<DB>,
  opts: {
    slug: string;
    software?: 'mastodon' | 'other';
    inboundSecret?: string;
    appSecret: string;
  },
): Promise<string> {
  const id = newId();
  const now = new Date().toISOString();
  await db
    .insertInto('services')
    .values({
      id,
      slug: opts.slug,
      name: `Tjeneste ${opts.slug}`,
      description_nb: '',
      description_en: '',
      url: `https://${opts.slug}.example.org`,
      kind: 'shared',
      software: opts.software ?? 'other',
      login_method: 'oidc',
      access_policy: 'all_members',
      offices: '[]',
      status: 'active',
      sort_order: 0,
      connector: 'none',
      connector_url: null,
      connector_token_enc: null,
      webhook_url: null,
      webhook_secret_enc: null,
      inbound_secret_enc: opts.inboundSecret
        ? secretBox(opts.appSecret).seal(opts.inboundSecret)
        : null,
      discourse_secret_enc: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** The emails queued to one address, as text (subject and body). */
export async function mailsTo(db: Kysely<DB>, to: string): Promise<string[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('payload')
    .where('kind', '=', 'email')
    .where('recipient', '=', to)
    .execute();
  return rows.map((r) => {
    const m = JSON.parse(r.payload) as { subject: string; text: string };
    return `${m.subject}\n${m.text}`;
  });
}
