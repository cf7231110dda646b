import { defineError } from '../../app/errors.js';

/** Problems with a CSV file as a whole; problems with single rows are listed per line. */
export const RegisterErrors = {
  noFile: defineError('register.no_file', 400, {
    nb: 'Velg en CSV-fil å laste opp.',
    en: 'Choose a CSV file to upload.',
  }),
  invalidEncoding: defineError('register.invalid_encoding', 400, {
    nb: 'Filen er ikke gyldig UTF-8 (første feil ved byte {offset}). Lagre den som «CSV UTF-8» (i Excel: «Lagre som» → «CSV UTF-8») og prøv igjen.',
    en: 'The file is not valid UTF-8 (first error at byte {offset}). Save it as "CSV UTF-8" (in Excel: "Save as" → "CSV UTF-8") and try again.',
  }),
  emptyFile: defineError('register.empty_file', 400, {
    nb: 'Filen er tom. Den må ha en overskriftsrad og minst én rad med et medlem.',
    en: 'The file is empty. It needs a header row and at least one row with a member.',
  }),
  noRows: defineError('register.no_rows', 400, {
    nb: 'Filen har bare overskriftsraden, ingen medlemmer.',
    en: 'The file has only the header row, no members.',
  }),
  unknownColumns: defineError('register.unknown_columns', 400, {
    nb: 'Ukjente kolonner i overskriftsraden: {unknown}. Gyldige kolonner er: {allowed}.',
    en: 'Unknown columns in the header row: {unknown}. Valid columns are: {allowed}.',
  }),
  missingColumns: defineError('register.missing_columns', 400, {
    nb: 'Påkrevde kolonner mangler i overskriftsraden: {missing}. Første rad må være overskriftene, for eksempel: {example}.',
    en: 'Required columns are missing from the header row: {missing}. The first row must be the headers, for example: {example}.',
  }),
  duplicateColumns: defineError('register.duplicate_columns', 400, {
    nb: 'Disse kolonnene står mer enn én gang i overskriftsraden: {columns}.',
    en: 'These columns appear more than once in the header row: {columns}.',
  }),
  csvSyntax: defineError('register.csv_syntax', 400, {
    nb: 'Filen kan ikke leses som CSV (linje {line}): {reason}. Sjekk anførselstegnene rundt feltene.',
    en: 'The file cannot be read as CSV (line {line}): {reason}. Check the quotes around fields.',
  }),
  tooManyRows: defineError('register.too_many_rows', 400, {
    nb: 'Filen har mer enn {max} rader. Del den opp i flere filer.',
    en: 'The file has more than {max} rows. Split it into several files.',
  }),
  unknownType: defineError('register.unknown_type', 400, {
    nb: 'Ukjent medlemstype «{code}».',
    en: 'Unknown membership type "{code}".',
  }),
  notSetUp: defineError('register.not_set_up', 409, {
    nb: 'Foreningen er ikke satt opp ennå. Kjør «allmenning setup» eller åpne /setup først.',
    en: 'The association has not been set up yet. Run "allmenning setup" or open /setup first.',
  }),
};
