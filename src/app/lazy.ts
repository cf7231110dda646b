import { createRequire } from 'node:module';
import type * as CsvParse from 'csv-parse/sync';
import type * as CsvStringify from 'csv-stringify/sync';
import type * as Saxes from 'saxes';
import type PDFKit from 'pdfkit';
import type * as OidcProviderLib from 'oidc-provider';

// Libraries only some requests need (CSV import/export, camt parsing) are loaded on first
// use, so an idle instance on a small machine does not hold them in memory.
const require = createRequire(import.meta.url);

export const csvStringify: typeof CsvStringify.stringify = (
  ...args: Parameters<typeof CsvStringify.stringify>
) => (require('csv-stringify/sync') as typeof CsvStringify).stringify(...args);

export const csvParse = ((...args: unknown[]) =>
  (require('csv-parse/sync') as { parse: (...a: unknown[]) => unknown }).parse(
    ...args,
  )) as typeof CsvParse.parse;

export function saxes(): typeof Saxes {
  return require('saxes') as typeof Saxes;
}

/** pdfkit and its fonts are the largest library here (~27 MB); loaded for the first PDF. */
export function pdfkit(): typeof PDFKit {
  return require('pdfkit') as typeof PDFKit;
}

/**
 * oidc-provider (with Koa and jose) adds ~30 MB and ~180 ms to a start; it is loaded when
 * the first /oidc request or OIDC artefact needs it. (An ES module, loaded by require:
 * Node 20.19 and later load ES modules without top-level await that way.)
 */
export function oidcProviderLib(): typeof OidcProviderLib {
  return require('oidc-provider') as typeof OidcProviderLib;
}
