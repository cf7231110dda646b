import { Hono } from 'hono';
import type { AppEnv } from '../../app/context.js';
import { associationYear, todayIn } from '../../app/dates.js';
import { page } from '../../app/layout.js';
import { requirePermission } from '../../app/middleware.js';
import { DECISION_KINDS, type ReportSource } from './moderation.tables.js';
import { moderationStatistics } from './statistics.repository.js';

const SOURCES: ReportSource[] = ['member', 'mastodon', 'webhook'];

/** Anonymised statistics per association year, for moderators and the board. */
export function statisticsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/moderation/statistics', requirePermission('moderation.handle'), async (c) => {
    const t = c.get('t');
    const a = c.get('association');
    const timeZone = a?.timeZone ?? 'Europe/Oslo';
    const startMonth = a?.yearStartMonth ?? 1;
    const current = associationYear(todayIn(timeZone, c.get('ctx').clock.now()), startMonth).year;
    const asked = Number(c.req.query('year'));
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= current ? asked : current;
    const s = await moderationStatistics(c.get('ctx').db, { year, startMonth, timeZone });
    const years = Array.from({ length: 6 }, (_, i) => current - i);
    return page(c, {
      title: t('moderation.stats.title'),
      body: (
        <section>
          <h1>{t('moderation.stats.title')}</h1>
          <p>{t('moderation.stats.intro', { from: s.startsOn, to: s.endsOn })}</p>
          <form method="get" action="/moderation/statistics" class="filters">
            <label for="f-year">{t('moderation.stats.year')}</label>
            <select id="f-year" name="year">
              {years.map((y) => (
                <option value={String(y)} selected={y === year}>
                  {startMonth === 1 ? String(y) : `${y}/${y + 1}`}
                </option>
              ))}
            </select>
            <button type="submit">{t('moderation.stats.show')}</button>
          </form>
          <h2>{t('moderation.stats.reports')}</h2>
          <div class="table-wrap">
            <table id="stats-reports">
              <thead>
                <tr>
                  <th scope="col">{t('moderation.stats.source')}</th>
                  <th scope="col" class="num">
                    {t('moderation.stats.count')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {SOURCES.map((src) => (
                  <tr>
                    <td>{t(`moderation.queue.source.${src}`)}</td>
                    <td class="num">{s.reports[src]}</td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">{t('moderation.stats.total')}</th>
                  <td class="num">{s.reportsTotal}</td>
                </tr>
                <tr>
                  <td>{t('moderation.stats.dismissed')}</td>
                  <td class="num">{s.reportsDismissed}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <dl class="facts">
            <dt>{t('moderation.stats.cases')}</dt>
            <dd id="stats-cases">{s.casesOpened}</dd>
            <dt>{t('moderation.stats.median')}</dt>
            <dd id="stats-median">
              {s.medianDaysToDecision === null
                ? t('moderation.stats.no_median')
                : t('moderation.stats.days', {
                    days: s.medianDaysToDecision.toLocaleString(
                      c.get('locale') === 'nb' ? 'nb-NO' : 'en-GB',
                    ),
                    count: s.decisionsMeasured,
                  })}
            </dd>
          </dl>
          <h2>{t('moderation.stats.decisions')}</h2>
          <div class="table-wrap">
            <table id="stats-decisions">
              <thead>
                <tr>
                  <th scope="col">{t('moderation.stats.kind')}</th>
                  <th scope="col" class="num">
                    {t('moderation.stats.count')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {DECISION_KINDS.map((k) => (
                  <tr>
                    <td>{t(`moderation.kind.${k}`)}</td>
                    <td class="num">{s.decisions[k]}</td>
                  </tr>
                ))}
                <tr>
                  <td>{t('moderation.stats.urgent')}</td>
                  <td class="num">{s.urgentSuspensions}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </section>
      ),
    });
  });

  return app;
}
