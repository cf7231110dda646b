import type { Office } from '../modules/members/members.tables.js';

/** Everything a route can require. Permissions follow offices, never persons. */
export const PERMISSIONS = [
  'members.read',
  'members.write',
  'members.approve',
  'members.import',
  'members.export',
  'offices.manage',
  'documents.manage',
  'settings.manage',
  'audit.read',
  'outbox.read',
  'api_tokens.manage',
  'billing.read',
  'billing.manage',
  // Service catalogue, OIDC clients, access decisions and enforcement results.
  'services.manage',
  // Finance: read the books and reports; keep them (postings, budget, settings, paying
  // claims); attest and approve expense claims (two different persons, never the claimant).
  'finance.read',
  'finance.manage',
  'expenses.attest',
  'expenses.approve',
  // Governance: schedule meetings, keep their agenda, decide on late proposals, recommend.
  'meetings.manage',
  // Governance, reading what the board sees: every proposal before publication, the
  // register's counts, who has voted (never what, in a secret vote).
  'meetings.read',
  // Moderation: handle reports and cases (hearing, warning, suspension); exclusion is the
  // board's alone.
  'moderation.handle',
  'moderation.exclude',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const OFFICE_PERMISSIONS: Record<Office, readonly Permission[]> = {
  board_member: [
    'members.read',
    'members.write',
    'members.approve',
    'members.import',
    'members.export',
    'offices.manage',
    'documents.manage',
    'settings.manage',
    'audit.read',
    'billing.read',
    'services.manage',
    'finance.read',
    'expenses.attest',
    'expenses.approve',
    'meetings.manage',
    'meetings.read',
    'moderation.handle',
    'moderation.exclude',
  ],
  treasurer: [
    'members.read',
    'members.export',
    'billing.read',
    'billing.manage',
    'finance.read',
    'finance.manage',
    'expenses.attest',
    'expenses.approve',
  ],
  // An alternate (varamedlem) sits in when a board member cannot: reads, decides nothing
  // until the board calls them in (then the office is recorded as board_member).
  board_alternate: ['members.read'],
  moderator: ['members.read', 'moderation.handle'],
  sysadmin: [
    'outbox.read',
    'audit.read',
    'api_tokens.manage',
    'settings.manage',
    'services.manage',
  ],
  // The auditor (revisor) reads the money, never changes it.
  auditor: ['members.read', 'audit.read', 'billing.read', 'finance.read'],
};

/** API token scopes and the permissions each one can unlock. */
export const API_SCOPES = {
  'members:read': ['members.read', 'members.export'],
  'members:write': [
    'members.read',
    'members.write',
    'members.approve',
    'members.import',
    'offices.manage',
  ],
  'audit:read': ['audit.read'],
  'billing:read': ['billing.read'],
  'billing:write': ['billing.read', 'billing.manage'],
  'services:write': ['services.manage'],
  'finance:read': ['finance.read'],
  'finance:write': ['finance.read', 'finance.manage', 'expenses.attest', 'expenses.approve'],
  'governance:read': ['meetings.read'],
  'governance:write': ['meetings.read', 'meetings.manage'],
  admin: PERMISSIONS,
} as const satisfies Record<string, readonly Permission[]>;
export type ApiScope = keyof typeof API_SCOPES;
export const API_SCOPE_NAMES = Object.keys(API_SCOPES) as ApiScope[];

export function permissionsFor(opts: {
  isAdmin: boolean;
  /** Offices whose term covers today, held by an active member. */
  offices: readonly Office[];
  scopes?: readonly ApiScope[] | null;
}): Set<Permission> {
  const granted = new Set<Permission>();
  if (opts.isAdmin) for (const p of PERMISSIONS) granted.add(p);
  for (const office of opts.offices) for (const p of OFFICE_PERMISSIONS[office]) granted.add(p);
  if (opts.scopes) {
    const allowed = new Set<Permission>(opts.scopes.flatMap((s) => API_SCOPES[s]));
    for (const p of [...granted]) if (!allowed.has(p)) granted.delete(p);
  }
  return granted;
}
