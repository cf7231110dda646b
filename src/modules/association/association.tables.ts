export interface AssociationTable {
  id: string;
  name: string;
  org_number: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  email: string | null;
  year_start_month: number;
  time_zone: string;
  default_locale: string;
  vat_registered: number;
  require_approval: number;
  created_at: string;
  updated_at: string;
}

export interface DocumentsTable {
  id: string;
  kind: 'statutes' | 'aup';
  version: number;
  title: string;
  body_nb: string;
  body_en: string | null;
  adopted_on: string | null;
  adopted_note: string | null;
  published_at: string;
  created_by: string | null;
  /** The meeting that adopted this version (governance), if recorded. */
  adopted_at_meeting_id: string | null;
}
