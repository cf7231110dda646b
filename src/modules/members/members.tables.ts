export const MEMBER_STATUSES = [
  'applied',
  'refused',
  'active',
  'lapsed',
  'suspended',
  'resigned',
  'excluded',
] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const OFFICES = [
  'board_member',
  'board_alternate',
  'treasurer',
  'moderator',
  'sysadmin',
  'auditor',
] as const;
export type Office = (typeof OFFICES)[number];

export interface MembershipTypesTable {
  id: string;
  code: string;
  name_nb: string;
  name_en: string;
  is_organisation: number;
  active: number;
  sort_order: number;
}

export interface MembershipFeesTable {
  id: string;
  type_id: string;
  year: number;
  amount_ore: number;
}

export interface MembersTable {
  id: string;
  member_number: number;
  user_id: string | null;
  type_id: string;
  status: MemberStatus;
  name: string;
  email: string | null;
  phone: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  country: string | null;
  org_number: string | null;
  contact_person: string | null;
  application_note: string | null;
  joined_on: string | null;
  status_changed_at: string;
  search_text: string;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
  /** Set for the founding members: the founding meeting they joined at. */
  founding_meeting_id: string | null;
}

export interface MemberStatusChangesTable {
  id: string;
  member_id: string;
  from_status: MemberStatus | null;
  to_status: MemberStatus;
  at: string;
  actor_user_id: string | null;
  actor_label: string;
  reason: string | null;
}

export interface MembershipPeriodsTable {
  id: string;
  member_id: string;
  year: number;
  starts_on: string;
  ends_on: string;
  paid_at: string | null;
  created_at: string;
}

export interface DocumentAcceptancesTable {
  id: string;
  member_id: string;
  document_id: string;
  accepted_at: string;
}

export interface OfficeTermsTable {
  id: string;
  member_id: string;
  office: Office;
  starts_on: string;
  ends_on: string | null;
  note: string | null;
  created_at: string;
  created_by: string | null;
}
