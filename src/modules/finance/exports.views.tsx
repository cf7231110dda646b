import type { Context } from 'hono';
import type { AppEnv } from '../../app/context.js';

export function ExportsPage(props: {
  c: Context<AppEnv>;
  counts: { year: number; count: number }[];
  current: number;
  yearLabel: (y: number) => string;
}) {
  const { c, counts } = props;
  const t = c.get('t');
  return (
    <section>
      <h1>{t('finance.exports.title')}</h1>
      <p>{t('finance.exports.intro')}</p>
      <h2>{t('finance.exports.by_year')}</h2>
      <ul>
        {counts.map(({ year, count }) => (
          <li data-year={String(year)}>
            {t('finance.exports.count', { count, year: props.yearLabel(year) })}{' '}
            <a href={`/finance/exports/journal.csv?year=${year}`}>CSV</a>
            {' · '}
            <a href={`/finance/exports/journal.gbat10?year=${year}`}>GBAT10</a>
          </li>
        ))}
      </ul>
      <h2>{t('finance.exports.by_dates')}</h2>
      {/* Without JavaScript a form cannot pick its action from a radio button, so one
          form per format. */}
      {(['csv', 'gbat10'] as const).map((format) => (
        <form method="get" action={`/finance/exports/journal.${format}`} class="filters">
          <div class="field">
            <label for={`f-${format}-from`}>{t('finance.exports.from')}</label>
            <input id={`f-${format}-from`} name="from" type="date" required />
          </div>
          <div class="field">
            <label for={`f-${format}-to`}>{t('finance.exports.to')}</label>
            <input id={`f-${format}-to`} name="to" type="date" required />
          </div>
          <button type="submit" class="secondary">
            {`${t('finance.exports.download')} ${format === 'csv' ? t('finance.exports.csv') : t('finance.exports.gbat10')}`}
          </button>
        </form>
      ))}
    </section>
  );
}
