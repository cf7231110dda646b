import { createHash } from 'node:crypto';

// A receipt is a PDF, a JPEG or a PNG of at most 10 MB. The type is read from the first
// bytes of the content (its "magic number"), never from the file name or the content type
// the browser sent: an executable renamed "kvittering.pdf" starts with MZ or \x7fELF and
// is refused.

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;

export const RECEIPT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

const EXTENSIONS: Record<ReceiptType, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
};

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

/** The receipt's type from its content, or null when it is none of the three. */
export function sniffReceiptType(bytes: Uint8Array): ReceiptType | null {
  if (startsWith(bytes, PDF)) return 'application/pdf';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  return null;
}

export function receiptExtension(type: string): string {
  return (EXTENSIONS as Record<string, string>)[type] ?? 'bin';
}

/**
 * The name kept for display: no directories, no control characters or quotes, at most
 * 120 characters. The download uses its own name (see receiptDownloadName).
 */
export function cleanFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"<>]/g, '').trim();
  return (clean || 'receipt').slice(0, 120);
}

/** The attachment's file name: ASCII only, so no header can be bent by it. */
export function receiptDownloadName(claimNumber: number, position: number, type: string): string {
  return `utlegg-${claimNumber}-${position}.${receiptExtension(type)}`;
}

export type CheckedReceipt = {
  filename: string;
  contentType: ReceiptType;
  size: number;
  sha256: string;
  content: Buffer;
};

export type ReceiptProblem = 'missing' | 'too_large' | 'type';

/** Checks an uploaded receipt; the problem, or the receipt ready to store. */
export function checkReceipt(
  upload: { filename: string; content: Buffer } | null,
): { receipt: CheckedReceipt } | { problem: ReceiptProblem } {
  if (!upload || upload.content.length === 0) return { problem: 'missing' };
  if (upload.content.length > MAX_RECEIPT_BYTES) return { problem: 'too_large' };
  const type = sniffReceiptType(upload.content);
  if (!type) return { problem: 'type' };
  return {
    receipt: {
      filename: cleanFileName(upload.filename),
      contentType: type,
      size: upload.content.length,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      content: upload.content,
    },
  };
}
