import { expect, it } from 'vitest';
import { BarChart, bucketize, bucketLabel, mondayOf } from './svg-chart.js';

const days = [
  { date: '2026-01-20', amountOre: 60000 },
  { date: '2026-01-22', amountOre: 25050 },
  { date: '2026-02-10', amountOre: -60000 },
  { date: '2025-12-30', amountOre: 100 }, // paid before the year began
];

it('buckets daily amounts by month and week without losing an øre', () => {
  const months = bucketize(days, { by: 'month', from: '2026-01-01', to: '2026-12-31' });
  expect(months.map((b) => b.key)).toEqual([
    '2025-12',
    ...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
  ]);
  expect(months.slice(0, 3).map((b) => b.amountOre)).toEqual([100, 85050, -60000]);
  expect(months.reduce((s, b) => s + b.amountOre, 0)).toBe(25150);
  expect(months[2]).toMatchObject({ startsOn: '2026-02-01', endsOn: '2026-02-28' });

  const weeks = bucketize(days, { by: 'week', from: '2026-01-01', to: '2026-12-31' });
  expect(weeks[0]!.startsOn).toBe('2025-12-29');
  expect(weeks.every((w) => new Date(`${w.startsOn}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
  expect(weeks.reduce((s, b) => s + b.amountOre, 0)).toBe(25150);
  expect(mondayOf('2026-01-04')).toBe('2025-12-29'); // a Sunday
  expect(bucketLabel(months[1]!, 'month', 'nb').label).toContain('2026');
});

it('draws an accessible SVG with a title, a description and a bar per period', async () => {
  const svg = (
    await (
      <BarChart
        id="c"
        title="Innbetalt"
        description="Stolpediagram"
        bars={[
          { label: 'jan. 2026', short: 'jan.', amountOre: 85050 },
          { label: 'feb. 2026', short: 'feb.', amountOre: -60000 },
        ]}
        locale="nb"
      />
    )
  ).toString();
  expect(svg).toMatch(/^<svg [^>]*role="img"/);
  expect(svg).toContain('aria-labelledby="c-title c-desc"');
  expect(svg).toContain('<title id="c-title">Innbetalt</title>');
  expect(svg).toContain('<desc id="c-desc">Stolpediagram</desc>');
  expect(svg).toContain('viewBox="0 0 720 280"');
  expect((svg.match(/<rect /g) ?? []).length).toBe(2);
  expect(svg).toContain('fill="#a4161a"'); // the negative month
  expect(svg).toContain('text-anchor="middle"');
  expect(svg).not.toContain('style=');
});
