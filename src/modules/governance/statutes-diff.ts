/**
 * A small text diff for statutes and policies: lines first (so an untouched paragraph
 * costs nothing), then words inside each changed block, by longest common subsequence.
 * Our own ~150 lines rather than a dependency: documents are a few thousand words.
 */

export type DiffOp = 'equal' | 'insert' | 'delete';
export type DiffPart = { op: DiffOp; text: string };

/** Beyond this many cells the LCS table is not built: the block is shown replaced whole. */
const MAX_CELLS = 4_000_000;

/** The edit script from `a` to `b` as ops on whole tokens. */
function lcsOps(a: readonly string[], b: readonly string[]): DiffPart[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffPart[] = [];
  for (let i = 0; i < start; i++) out.push({ op: 'equal', text: a[i]! });
  const n = endA - start;
  const m = endB - start;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) out.push({ op: 'delete', text: a[i]! });
    for (let j = start; j < endB; j++) out.push({ op: 'insert', text: b[j]! });
  } else {
    // table[i][j]: length of the LCS of a[start+i..endA) and b[start+j..endB).
    const w = m + 1;
    const table = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * w + j] =
          a[start + i] === b[start + j]
            ? table[(i + 1) * w + j + 1]! + 1
            : Math.max(table[(i + 1) * w + j]!, table[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        out.push({ op: 'equal', text: a[start + i]! });
        i++;
        j++;
      } else if (table[(i + 1) * w + j]! >= table[i * w + j + 1]!) {
        out.push({ op: 'delete', text: a[start + i]! });
        i++;
      } else {
        out.push({ op: 'insert', text: b[start + j]! });
        j++;
      }
    }
    for (; i < n; i++) out.push({ op: 'delete', text: a[start + i]! });
    for (; j < m; j++) out.push({ op: 'insert', text: b[start + j]! });
  }
  for (let i = endA; i < a.length; i++) out.push({ op: 'equal', text: a[i]! });
  return out;
}

/** Lines with their line break, so joining the parts gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Words (letters and digits, Norwegian ones too), runs of white space, single signs. */
function splitWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+|\s+|[^\p{L}\p{N}_\s]/gu) ?? [];
}

/** Joins neighbours with the same op; inside a run of changes, deletions come first. */
function normalise(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    if (del) out.push({ op: 'delete', text: del });
    if (ins) out.push({ op: 'insert', text: ins });
    del = '';
    ins = '';
  };
  for (const p of parts) {
    if (p.text === '') continue;
    if (p.op === 'delete') del += p.text;
    else if (p.op === 'insert') ins += p.text;
    else {
      flush();
      const last = out[out.length - 1];
      if (last?.op === 'equal') last.text += p.text;
      else out.push({ op: 'equal', text: p.text });
    }
  }
  flush();
  return out;
}

/**
 * A lone space between two changed words reads better as part of the change
 * ("~~a b~~ **c d**" rather than "~~a~~ **c** ~~b~~ **d**").
 */
function absorbSpaces(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const prev = parts[k - 1];
    const next = parts[k + 1];
    if (
      p.op === 'equal' &&
      /^[ \t]+$/.test(p.text) &&
      prev &&
      prev.op !== 'equal' &&
      next &&
      next.op !== 'equal'
    ) {
      out.push({ op: 'delete', text: p.text }, { op: 'insert', text: p.text });
    } else out.push(p);
  }
  return normalise(out);
}

/** The changes from `before` to `after`; joining the equal and inserted parts gives `after`. */
export function diffText(before: string, after: string): DiffPart[] {
  const a = before.replace(/\r\n?/g, '\n');
  const b = after.replace(/\r\n?/g, '\n');
  const lines = normalise(lcsOps(splitLines(a), splitLines(b)));
  const out: DiffPart[] = [];
  for (let k = 0; k < lines.length; k++) {
    const p = lines[k]!;
    const next = lines[k + 1];
    if (p.op === 'delete' && next?.op === 'insert') {
      // A changed block: show which words changed inside it.
      out.push(...absorbSpaces(normalise(lcsOps(splitWords(p.text), splitWords(next.text)))));
      k++;
    } else out.push(p);
  }
  return normalise(out);
}

/** How many words were added and removed. */
export function diffStats(parts: readonly DiffPart[]): { inserted: number; deleted: number } {
  const words = (s: string) => (s.match(/[\p{L}\p{N}_]+/gu) ?? []).length;
  let inserted = 0;
  let deleted = 0;
  for (const p of parts) {
    if (p.op === 'insert') inserted += words(p.text);
    else if (p.op === 'delete') deleted += words(p.text);
  }
  return { inserted, deleted };
}

export function hasChanges(parts: readonly DiffPart[]): boolean {
  return parts.some((p) => p.op !== 'equal');
}
