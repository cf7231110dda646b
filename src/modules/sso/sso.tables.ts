export interface OidcClientsTable {
  /** The client_id. */
  id: string;
  service_id: string;
  name: string;
  /** sha256 of the secret; null for a public client (which must use PKCE). */
  secret_hash: string | null;
  secret_prefix: string | null;
  /** JSON arrays; redirect URIs are matched exactly. */
  redirect_uris: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string | null;
  /** JSON array of the scopes (and so the claims) the client may have. */
  scopes: string;
  first_party: number;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

/** What oidc-provider stores through our adapter, one row per model and id. */
export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: string;
  account_id: string | null;
  client_id: string | null;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface OidcKeysTable {
  kid: string;
  alg: string;
  public_jwk: string;
  /** Encrypted with secretBox; never leaves the process. */
  private_jwk_enc: string;
  status: 'active' | 'retired';
  created_at: string;
  retired_at: string | null;
}

export interface DiscourseNoncesTable {
  nonce: string;
  service_id: string;
  used_at: string;
  expires_at: string;
}
