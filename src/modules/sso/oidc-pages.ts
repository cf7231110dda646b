// The few pages oidc-provider renders itself (outside Hono): the logout confirmation, the
// page after logout and its error page. They are bilingual (nb first, then en) because
// the provider does not know the member's language, use the app's stylesheet and never
// echo anything but the error code and description, escaped.

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function frame(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<main id="main"><section>
${body}
</section></main>
</body>
</html>`;
}

/** Asks the member to confirm logging out (the form carries the provider's xsrf token). */
export function logoutPage(opts: { form: string; client: string | null }): string {
  const from = opts.client ? ` (${escapeHtml(opts.client)})` : '';
  return frame(
    'Logg ut? / Log out?',
    `<h1>Vil du logge ut?${from}</h1>
<p lang="en">Do you want to log out?</p>
${opts.form}
<p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logg ut / Yes, log out</button>
<button type="submit" form="op.logoutForm" class="secondary">Nei, forbli innlogget / No, stay logged in</button>
</p>`,
  );
}

export function loggedOutPage(): string {
  return frame(
    'Logget ut / Logged out',
    `<h1>Du er logget ut</h1>
<p lang="en">You are logged out.</p>
<p><a href="/">Til forsiden / Home</a></p>`,
  );
}

export function errorPage(out: { error?: string; error_description?: string }): string {
  return frame(
    'Innloggingen feilet / Login failed',
    `<h1>Innloggingen kunne ikke fullføres</h1>
<p lang="en">The login could not be completed.</p>
<p class="alert" role="alert"><code>${escapeHtml(out.error ?? 'error')}</code>${
      out.error_description ? `: ${escapeHtml(out.error_description)}` : ''
    }</p>
<p><a href="/">Til forsiden / Home</a></p>`,
  );
}
