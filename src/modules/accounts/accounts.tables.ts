export interface UsersTable {
  id: string;
  email: string;
  email_verified_at: string | null;
  password_hash: string;
  name: string;
  handle: string;
  locale: string | null;
  is_admin: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface UserTokensTable {
  id: string;
  user_id: string;
  purpose: 'verify_email' | 'reset_password' | 'change_email';
  token_hash: string;
  data: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface LoginAttemptsTable {
  id: string;
  key: string;
  at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  scopes: string;
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}
