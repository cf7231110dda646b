/** Who the call is about, as the service knows them. */
export type ConnectorSubject = {
  /** The OIDC `sub` (Allmenning's user id), also DiscourseConnect's external_id. */
  sub: string | null;
  /** preferred_username: the handle, the username in the services. */
  handle: string | null;
};

export type ConnectorCall = {
  /** The service's admin API base URL (services.connector_url). */
  baseUrl: string;
  /** The admin token, opened from services.connector_token_enc just before the call. */
  token: string;
  subject: ConnectorSubject;
  /** Why, in words the service's moderators see (no personal data beyond the reason). */
  note: string;
  timeoutMs?: number;
  now: Date;
};

/**
 * What happened: `done` when the service changed (or already was as asked), `not_found`
 * when it has no account for the member (nothing to enforce). Kept in
 * service_enforcements.result for administrators.
 */
export type ConnectorResult = { outcome: 'done' | 'not_found'; detail: string };

export type EnforcementConnector = {
  suspend(call: ConnectorCall): Promise<ConnectorResult>;
  reinstate(call: ConnectorCall): Promise<ConnectorResult>;
};
