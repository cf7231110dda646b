export interface SettingsTable {
  key: string;
  value: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface AuditLogTable {
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
}

export interface OutboxTable {
  id: string;
  kind: string;
  recipient: string | null;
  payload: string;
  status: 'pending' | 'sent' | 'failed' | 'held';
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface JobsTable {
  id: string;
  name: string;
  dedupe_key: string;
  payload: string | null;
  run_at: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  finished_at: string | null;
}
