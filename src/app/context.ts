import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Office } from '../modules/members/members.tables.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DB } from './database.js';
import type { Dialect } from './db.js';
import type { Locale } from './errors.js';
import type { MessageKey, T } from './i18n.js';
import type { Permission } from './policy.js';
import type { Association } from '../modules/association/association.repository.js';

/** What every route and use-case may need; built once at start, passed in. */
export type AppContext = {
  db: Kysely<DB>;
  dialect: Dialect;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** HMAC key for CSRF tokens and signed cookies: APP_SECRET, or one kept in the database. */
  secret: string;
  /** Wakes the outbox worker after a commit. */
  kickOutbox: () => void;
};

export type CurrentUser = {
  id: string;
  email: string;
  name: string;
  handle: string;
  isAdmin: boolean;
  emailVerified: boolean;
  locale: Locale | null;
  memberId: string | null;
  memberStatus: string | null;
  offices: Office[];
  permissions: Set<Permission>;
  /** Set when the request is authenticated by an API token rather than a session. */
  apiTokenId: string | null;
};

export type AppEnv = {
  Variables: {
    ctx: AppContext;
    locale: Locale;
    t: T;
    user: CurrentUser | null;
    sessionId: string | null;
    csrfToken: string;
    association: Association | null;
    ip: string | null;
    flash: MessageKey | null;
  };
};
