import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from './context.js';
import type { MessageKey } from './i18n.js';

type NavItem = { href: string; label: MessageKey; show: boolean };

function navItems(c: Context<AppEnv>): NavItem[] {
  const user = c.get('user');
  const p = user?.permissions;
  return [
    { href: '/', label: 'nav.home', show: true },
    { href: '/membership', label: 'nav.my_membership', show: !!user },
    { href: '/members', label: 'nav.members', show: !!p?.has('members.read') },
    { href: '/members/applications', label: 'nav.applications', show: !!p?.has('members.approve') },
    { href: '/services', label: 'nav.services', show: !!user },
    { href: '/meetings', label: 'nav.meetings', show: true },
    { href: '/moderation', label: 'nav.moderation', show: !!p?.has('moderation.handle') },
    { href: '/report', label: 'moderation.report.nav', show: !!user?.memberId },
    { href: '/billing', label: 'nav.billing', show: !!p?.has('billing.read') },
    { href: '/expenses', label: 'nav.expenses', show: !!user?.memberId },
    { href: '/finance', label: 'nav.finance', show: !!p?.has('finance.read') },
    { href: '/audit', label: 'nav.audit', show: !!p?.has('audit.read') },
    {
      href: '/admin',
      label: 'nav.admin',
      show: !!(
        p?.has('settings.manage') ||
        p?.has('outbox.read') ||
        p?.has('api_tokens.manage') ||
        p?.has('services.manage')
      ),
    },
    { href: '/account', label: 'nav.profile', show: !!user },
    { href: '/login', label: 'nav.login', show: !user },
    { href: '/signup', label: 'nav.signup', show: !user },
  ];
}

/**
 * The page the language switch leads to: this one; for a form shown again after a POST,
 * the page the form was on (the referrer, when it is ours), since the POST address may
 * have no page of its own.
 */
function languageSwitchBase(c: Context<AppEnv>): URL {
  const here = new URL(c.req.url);
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return here;
  const referer = c.req.header('referer');
  if (referer) {
    try {
      const from = new URL(referer);
      if (from.origin === here.origin) return from;
    } catch {
      // not a URL: fall through
    }
  }
  return new URL('/', here);
}

/** The page frame: landmarks, skip link, language switch, flash message. */
export function Layout(props: { c: Context<AppEnv>; title: string; children: Child }) {
  const { c } = props;
  const t = c.get('t');
  const locale = c.get('locale');
  const user = c.get('user');
  const association = c.get('association');
  const flash = c.get('flash');
  const url = languageSwitchBase(c);
  const otherLocale = locale === 'nb' ? 'en' : 'nb';
  url.searchParams.set('lang', otherLocale);
  const siteName = association?.name ?? t('app.name');
  return (
    <html lang={locale === 'nb' ? 'nb' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} – ${siteName}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {t('app.skip_to_content')}
        </a>
        <header class="site">
          <div class="inner">
            <a class="brand" href="/">
              {siteName}
            </a>
            <nav aria-label={t('app.nav')}>
              <ul>
                {navItems(c)
                  .filter((i) => i.show)
                  .map((i) => (
                    <li>
                      <a href={i.href} aria-current={url.pathname === i.href ? 'page' : undefined}>
                        {t(i.label)}
                      </a>
                    </li>
                  ))}
                {user ? (
                  <li>
                    <form method="post" action="/logout">
                      <input type="hidden" name="_csrf" value={c.get('csrfToken')} />
                      <button class="link" type="submit">
                        {t('nav.logout')}
                      </button>
                    </form>
                  </li>
                ) : null}
                <li>
                  <a
                    href={`${url.pathname}${url.search}`}
                    lang={otherLocale}
                    hreflang={otherLocale}
                  >
                    {otherLocale === 'en' ? 'English' : 'Norsk (bokmål)'}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabindex={-1}>
          {flash ? (
            <p class="notice" role="status">
              {t(flash)}
            </p>
          ) : null}
          {props.children}
        </main>
        <footer class="site">
          <p>
            <a href="/documents">{t('nav.documents')}</a>
          </p>
          <p>{t('app.footer')}</p>
        </footer>
      </body>
    </html>
  );
}

/** Renders a full page. */
export function page(c: Context<AppEnv>, opts: { title: string; body: Child; status?: number }) {
  return c.html(
    <Layout c={c} title={opts.title}>
      {opts.body}
    </Layout>,
    (opts.status ?? 200) as 200,
  );
}
