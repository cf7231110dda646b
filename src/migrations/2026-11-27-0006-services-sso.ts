import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.
// Services and single sign-on: the service catalogue, members' access to services, the
// OpenID Connect provider's clients, signing keys and stored artefacts (grants, codes,
// tokens, sessions), DiscourseConnect nonces, and the enforcement actions sent to the
// services' admin APIs.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description_nb', 'text', (c) => c.notNull())
    .addColumn('description_en', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // shared | personal
    .addColumn('software', 'text', (c) => c.notNull()) // nextcloud | synapse | mastodon | … | other
    .addColumn('login_method', 'text', (c) => c.notNull()) // oidc | discourse | none
    .addColumn('access_policy', 'text', (c) => c.notNull()) // all_members | on_request | by_office
    .addColumn('offices', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array, for by_office
    .addColumn('status', 'text', (c) => c.notNull()) // active | maintenance | retired
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    // Secrets Allmenning must present (not verify) are encrypted with a key derived from
    // APP_SECRET: the connector's admin token, the webhook and DiscourseConnect secrets.
    .addColumn('connector', 'text', (c) => c.notNull().defaultTo('none')) // none | mastodon | synapse | discourse | forgejo
    .addColumn('connector_url', 'text')
    .addColumn('connector_token_enc', 'text')
    .addColumn('webhook_url', 'text')
    .addColumn('webhook_secret_enc', 'text')
    .addColumn('discourse_secret_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('service_access')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // requested | granted | refused | withdrawn
    .addColumn('note', 'text') // the member's request text
    .addColumn('reason', 'text') // the administrator's reason for refusing or withdrawing
    .addColumn('requested_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_access_service_member', ['service_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('service_access_member')
    .on('service_access')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('oidc_clients')
    .addColumn('id', 'text', (c) => c.primaryKey()) // the client_id
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text') // null: a public client (PKCE required)
    .addColumn('secret_prefix', 'text')
    .addColumn('redirect_uris', 'text', (c) => c.notNull()) // JSON array, matched exactly
    .addColumn('post_logout_redirect_uris', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('backchannel_logout_uri', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull()) // JSON array: openid profile email groups membership offline_access
    .addColumn('first_party', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('oidc_clients_service')
    .on('oidc_clients')
    .column('service_id')
    .execute();

  // Everything oidc-provider stores (sessions, interactions, codes, grants, tokens),
  // keyed by model and id. account_id, client_id and grant_id are copied out of the
  // payload so that revocation finds every artefact of a member (or of a member at one
  // client) with an index, in the transaction that changes the membership.
  await db.schema
    .createTable('oidc_payloads')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('client_id', 'text')
    .addColumn('grant_id', 'text')
    .addColumn('uid', 'text')
    .addColumn('user_code', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('consumed_at', 'text')
    .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
    .execute();
  for (const column of ['account_id', 'grant_id', 'uid', 'expires_at'] as const) {
    await db.schema
      .createIndex(`oidc_payloads_${column}`)
      .on('oidc_payloads')
      .column(column)
      .where(sql.ref(column), 'is not', null)
      .execute();
  }

  await db.schema
    .createTable('oidc_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_enc', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // active | retired
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();

  await db.schema
    .createTable('discourse_nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('service_enforcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('action', 'text', (c) => c.notNull()) // suspend | reinstate
    .addColumn('reason', 'text', (c) => c.notNull()) // lapsed | suspended | resigned | excluded | access_withdrawn | reinstated
    .addColumn('status', 'text', (c) => c.notNull()) // pending | done | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('service_enforcements_member')
    .on('service_enforcements')
    .columns(['member_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('service_enforcements').execute();
  await db.schema.dropTable('discourse_nonces').execute();
  await db.schema.dropTable('oidc_keys').execute();
  await db.schema.dropTable('oidc_payloads').execute();
  await db.schema.dropTable('oidc_clients').execute();
  await db.schema.dropTable('service_access').execute();
  await db.schema.dropTable('services').execute();
}
