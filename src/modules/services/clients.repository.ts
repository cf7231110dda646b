import type { Db } from '../../app/db.js';
import type { ClientScope } from './clients.schemas.js';

// OpenID Connect clients as administrators see them. secret_hash is never selected:
// a client says only whether it is confidential and the first characters of its secret.

export type OidcClient = {
  id: string;
  serviceId: string;
  name: string;
  confidential: boolean;
  secretPrefix: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scopes: ClientScope[];
  firstParty: boolean;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
};

function selectClients(db: Db) {
  return db
    .selectFrom('oidc_clients')
    .select([
      'id',
      'service_id',
      'name',
      'secret_prefix',
      'redirect_uris',
      'post_logout_redirect_uris',
      'backchannel_logout_uri',
      'scopes',
      'first_party',
      'disabled_at',
      'created_at',
      'updated_at',
    ])
    .select((eb) => eb('secret_hash', 'is not', null).as('confidential'));
}

type Row = Awaited<ReturnType<ReturnType<typeof selectClients>['executeTakeFirstOrThrow']>>;

function toClient(r: Row): OidcClient {
  return {
    id: r.id,
    serviceId: r.service_id,
    name: r.name,
    confidential: r.confidential === true || Number(r.confidential) === 1,
    secretPrefix: r.secret_prefix,
    redirectUris: JSON.parse(r.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(r.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: r.backchannel_logout_uri,
    scopes: JSON.parse(r.scopes) as ClientScope[],
    firstParty: Number(r.first_party) === 1,
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listClients(db: Db, serviceId: string): Promise<OidcClient[]> {
  const rows = await selectClients(db)
    .where('service_id', '=', serviceId)
    .orderBy('created_at')
    .execute();
  return rows.map(toClient);
}

export async function findClient(
  db: Db,
  opts: { serviceId: string; clientId: string },
): Promise<OidcClient | null> {
  const row = await selectClients(db)
    .where('service_id', '=', opts.serviceId)
    .where('id', '=', opts.clientId)
    .executeTakeFirst();
  return row ? toClient(row) : null;
}
