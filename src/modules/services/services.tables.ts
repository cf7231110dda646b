export const SERVICE_KINDS = ['shared', 'personal'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

/** The software a service runs; it chooses the setup guide and the connector offered. */
export const SERVICE_SOFTWARE = [
  'nextcloud',
  'synapse',
  'mastodon',
  'vaultwarden',
  'pixelfed',
  'forgejo',
  'peertube',
  'discourse',
  'other',
] as const;
export type ServiceSoftware = (typeof SERVICE_SOFTWARE)[number];

export const LOGIN_METHODS = ['oidc', 'discourse', 'none'] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

export const ACCESS_POLICIES = ['all_members', 'on_request', 'by_office'] as const;
export type AccessPolicy = (typeof ACCESS_POLICIES)[number];

export const SERVICE_STATUSES = ['active', 'maintenance', 'retired'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const CONNECTORS = ['none', 'mastodon', 'synapse', 'discourse', 'forgejo'] as const;
export type Connector = (typeof CONNECTORS)[number];

export const ACCESS_STATUSES = ['requested', 'granted', 'refused', 'withdrawn'] as const;
export type AccessStatus = (typeof ACCESS_STATUSES)[number];

export interface ServicesTable {
  id: string;
  slug: string;
  name: string;
  description_nb: string;
  description_en: string;
  url: string;
  kind: ServiceKind;
  software: ServiceSoftware;
  login_method: LoginMethod;
  access_policy: AccessPolicy;
  /** JSON array of offices, for access_policy = by_office. */
  offices: string;
  status: ServiceStatus;
  sort_order: number;
  connector: Connector;
  connector_url: string | null;
  /** Encrypted with secretBox (src/app/secret-box.ts); never selected for output. */
  connector_token_enc: string | null;
  webhook_url: string | null;
  webhook_secret_enc: string | null;
  /** Verifies the service's incoming webhooks (moderation reports); sealed. */
  inbound_secret_enc: string | null;
  discourse_secret_enc: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceAccessTable {
  id: string;
  service_id: string;
  member_id: string;
  status: AccessStatus;
  note: string | null;
  reason: string | null;
  requested_at: string | null;
  decided_at: string | null;
  decided_by: string | null;
  updated_at: string;
}

export interface ServiceEnforcementsTable {
  id: string;
  service_id: string;
  member_id: string;
  action: 'suspend' | 'reinstate';
  reason: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  last_error: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}
