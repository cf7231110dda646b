import { describe, expect, it } from 'vitest';
import { diffStats, diffText, hasChanges, type DiffPart } from './statutes-diff.js';

const rebuild = (parts: DiffPart[], side: 'before' | 'after') =>
  parts
    .filter((p) => p.op === 'equal' || p.op === (side === 'after' ? 'insert' : 'delete'))
    .map((p) => p.text)
    .join('');

describe('diffText', () => {
  it('finds no change in equal texts', () => {
    const parts = diffText('§ 1\nNavn\n', '§ 1\nNavn\n');
    expect(parts).toEqual([{ op: 'equal', text: '§ 1\nNavn\n' }]);
    expect(hasChanges(parts)).toBe(false);
  });

  it('marks the changed word inside a line, not the whole line', () => {
    const parts = diffText(
      'Styret kaller inn med minst 14 dagers varsel.\nUendret linje.\n',
      'Styret kaller inn med minst 21 dagers varsel.\nUendret linje.\n',
    );
    expect(parts).toEqual([
      { op: 'equal', text: 'Styret kaller inn med minst ' },
      { op: 'delete', text: '14' },
      { op: 'insert', text: '21' },
      { op: 'equal', text: ' dagers varsel.\nUendret linje.\n' },
    ]);
    expect(diffStats(parts)).toEqual({ inserted: 1, deleted: 1 });
  });

  it('handles added and removed paragraphs and Norwegian letters', () => {
    const before = '## § 1\nA\n\n## § 2\nGammel tekst om årsmøtet.\n\n## § 3\nC\n';
    const after = '## § 1\nA\n\n## § 3\nC\n\n## § 4\nNy paragraf om oppløsning.\n';
    const parts = diffText(before, after);
    expect(rebuild(parts, 'before')).toBe(before);
    expect(rebuild(parts, 'after')).toBe(after);
    expect(parts.some((p) => p.op === 'delete' && p.text.includes('årsmøtet'))).toBe(true);
    expect(parts.some((p) => p.op === 'insert' && p.text.includes('oppløsning'))).toBe(true);
    expect(diffStats(parts).inserted).toBeGreaterThan(0);
  });

  it('joins a space between two changed words into the change', () => {
    const parts = diffText('tre fjerdedeler\n', 'to tredjedeler\n');
    expect(parts).toEqual([
      { op: 'delete', text: 'tre fjerdedeler' },
      { op: 'insert', text: 'to tredjedeler' },
      { op: 'equal', text: '\n' },
    ]);
  });

  it('treats CRLF as LF and copes with texts without a final newline', () => {
    expect(hasChanges(diffText('a\r\nb', 'a\nb'))).toBe(false);
    const parts = diffText('', 'ny tekst');
    expect(parts).toEqual([{ op: 'insert', text: 'ny tekst' }]);
    expect(diffText('gammel', '')).toEqual([{ op: 'delete', text: 'gammel' }]);
  });

  it('always rebuilds both sides, on random edits', () => {
    const words = ['medlem', 'styret', 'årsmøtet', '§', '1', ',', ' ', '\n', 'vedtekter'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const a = Array.from({ length: rnd(60) }, () => words[rnd(words.length)]).join('');
      const b = Array.from({ length: rnd(60) }, () => words[rnd(words.length)]).join('');
      const parts = diffText(a, b);
      expect(rebuild(parts, 'before')).toBe(a);
      expect(rebuild(parts, 'after')).toBe(b);
    }
  });

  it('diffs the whole model statutes in a few milliseconds', async () => {
    const { MODEL_STATUTES } = await import('../association/model-documents.js');
    const after = MODEL_STATUTES.body_nb.replace('minst 14 dagers', 'minst 21 dagers');
    const t0 = performance.now();
    const parts = diffText(MODEL_STATUTES.body_nb, after);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(diffStats(parts)).toEqual({ inserted: 1, deleted: 1 });
  });
});
