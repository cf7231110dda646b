import type { Translations } from '../../app/errors.js';
import type { ServiceSoftware } from './services.tables.js';

// The per-service setup guides, filled in with this installation's values: the issuer,
// the discovery URL, the service's address and client ids, the claim that names the user.
// docs/services/<software>.md says the same with placeholders; keep the two in step.

export type GuideValues = {
  baseUrl: string;
  associationName: string;
  service: { name: string; slug: string; url: string };
  /** The service's first enabled OIDC client, if it has one. */
  client: { id: string; confidential: boolean } | null;
};

export type GuideStep = {
  title: Translations;
  text: Translations[];
  /** A configuration block to copy, with this installation's values. */
  code?: string;
};

export type Guide = {
  /** The addresses to register on the client in Allmenning. */
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  scopes: string[];
  steps: GuideStep[];
};

const tr = (nb: string, en: string): Translations => ({ nb, en });

export const SECRET_PLACEHOLDER = '<client secret, shown once when the client was made>';

function endpoints(baseUrl: string) {
  const issuer = `${baseUrl}/oidc`;
  return {
    issuer,
    discovery: `${issuer}/.well-known/openid-configuration`,
    authorization: `${issuer}/auth`,
    token: `${issuer}/token`,
    userinfo: `${issuer}/me`,
    endSession: `${issuer}/session/end`,
    jwks: `${issuer}/jwks`,
  };
}

export function oidcEndpoints(baseUrl: string) {
  return endpoints(baseUrl);
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

const makeClient = (uris: string[], extra?: Translations): GuideStep => ({
  title: tr('Lag en klient i Allmenning', 'Create a client in Allmenning'),
  text: [
    tr(
      `Under «OpenID Connect-klienter» for denne tjenesten: lag en konfidensiell klient med omdirigeringsadressen ${uris.join(', ')}. Klient-ID og hemmelighet vises etterpå; hemmeligheten vises bare én gang.`,
      `Under "OpenID Connect clients" for this service: create a confidential client with the redirect URI ${uris.join(', ')}. The client ID and secret are shown afterwards; the secret is shown only once.`,
    ),
    ...(extra ? [extra] : []),
  ],
});

const gateNote = tr(
  'Allmenning slipper bare inn medlemmer med aktivt, betalt medlemskap og tilgang til denne tjenesten, både ved innlogging og ved hver fornying av token. Tjenesten trenger ingen egen gruppesperre.',
  'Allmenning lets in only members whose membership is active and paid and who have access to this service, both at login and at every token refresh. The service needs no group restriction of its own.',
);

function guideFor(software: ServiceSoftware, v: GuideValues): Guide {
  const e = endpoints(v.baseUrl);
  const url = trimSlash(v.service.url);
  const clientId = v.client?.id ?? '<client_id>';
  const name = v.associationName;
  switch (software) {
    case 'nextcloud': {
      const redirect = `${url}/apps/user_oidc/code`;
      const bcl = `${url}/apps/user_oidc/backchannel-logout/allmenning`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [`${url}/`],
        backchannelLogoutUri: bcl,
        scopes: ['openid', 'profile', 'email', 'groups'],
        steps: [
          makeClient(
            [redirect],
            tr(
              `Sett back-channel-utloggingsadressen til ${bcl} («allmenning» er navnet leverandøren får i Nextcloud nedenfor). Viser Nextcloud «index.php» i adressene, ta det med: ${url}/index.php/apps/user_oidc/code.`,
              `Set the back-channel logout URI to ${bcl} ("allmenning" is the provider name used in Nextcloud below). If Nextcloud shows "index.php" in its addresses, include it: ${url}/index.php/apps/user_oidc/code.`,
            ),
          ),
          {
            title: tr('Installer appen user_oidc', 'Install the user_oidc app'),
            text: [
              tr(
                'Appen heter «OpenID Connect user backend». Kjør occ som brukeren webtjeneren kjører som.',
                'The app is called "OpenID Connect user backend". Run occ as the user the web server runs as.',
              ),
            ],
            code: 'sudo -u www-data php occ app:install user_oidc',
          },
          {
            title: tr('Legg til Allmenning som leverandør', 'Add Allmenning as provider'),
            text: [
              tr(
                'Brukernavnet i Nextcloud blir medlemmets brukernavn (preferred_username), som aldri endres. --unique-uid=0 gjør at Nextcloud bruker det som det er, i stedet for en hash. --group-provisioning=1 oppretter gruppene fra groups-kravet (members, board, service:<kortnavn> …); sløyf de to siste linjene om du ikke vil det.',
                "The Nextcloud user name becomes the member's user name (preferred_username), which never changes. --unique-uid=0 makes Nextcloud use it as it is rather than a hash. --group-provisioning=1 creates the groups from the groups claim (members, board, service:<slug> …); leave out the last two lines if you do not want that.",
              ),
            ],
            code: [
              'sudo -u www-data php occ user_oidc:provider allmenning \\',
              `  --clientid="${clientId}" \\`,
              `  --clientsecret="${SECRET_PLACEHOLDER}" \\`,
              `  --discoveryuri="${e.discovery}" \\`,
              '  --scope="openid profile email groups" \\',
              '  --unique-uid=0 \\',
              '  --mapping-uid=preferred_username \\',
              '  --mapping-display-name=name \\',
              '  --mapping-email=email \\',
              '  --mapping-groups=groups \\',
              '  --group-provisioning=1',
            ].join('\n'),
          },
          {
            title: tr(
              'Valgfritt: bare innlogging via Allmenning',
              'Optional: log in through Allmenning only',
            ),
            text: [
              tr(
                'Slå av Nextclouds egne passord slik at innloggingssiden sender rett videre til Allmenning.',
                "Turn off Nextcloud's own passwords so that the login page goes straight to Allmenning.",
              ),
            ],
            code: 'sudo -u www-data php occ config:app:set user_oidc allow_multiple_user_backends --value=0',
          },
          { title: tr('Hvem slipper inn', 'Who gets in'), text: [gateNote] },
        ],
      };
    }
    case 'synapse': {
      const redirect = `${url}/_synapse/client/oidc/callback`;
      const bcl = `${url}/_synapse/client/oidc/backchannel_logout`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: bcl,
        scopes: ['openid', 'profile', 'email'],
        steps: [
          makeClient(
            [redirect],
            tr(
              `Tjenestens adresse her er Synapse sin public_baseurl. Sett back-channel-utloggingsadressen til ${bcl}.`,
              `The service address here is Synapse's public_baseurl. Set the back-channel logout URI to ${bcl}.`,
            ),
          ),
          {
            title: tr(
              'Legg til leverandøren i homeserver.yaml',
              'Add the provider to homeserver.yaml',
            ),
            text: [
              tr(
                'Matrix-ID-en blir @<brukernavn>:<server>, fra preferred_username, som aldri endres. Start Synapse på nytt etterpå.',
                'The Matrix ID becomes @<user name>:<server>, from preferred_username, which never changes. Restart Synapse afterwards.',
              ),
            ],
            code: [
              'oidc_providers:',
              '  - idp_id: allmenning',
              `    idp_name: "${name}"`,
              `    issuer: "${e.issuer}"`,
              `    client_id: "${clientId}"`,
              `    client_secret: "${SECRET_PLACEHOLDER}"`,
              '    scopes: ["openid", "profile", "email"]',
              '    backchannel_logout_enabled: true',
              '    user_mapping_provider:',
              '      config:',
              '        subject_claim: "sub"',
              '        localpart_template: "{{ user.preferred_username }}"',
              '        display_name_template: "{{ user.name }}"',
              '        email_template: "{{ user.email }}"',
            ].join('\n'),
          },
          {
            title: tr('Sperring', 'Suspension'),
            text: [
              gateNote,
              tr(
                'Velg koblingen «Synapse» på tjenestesiden med en admin-token for en Synapse-administrator for å låse kontoen også i Synapse når et medlemskap stanser.',
                'Choose the "Synapse" connector on the service page, with an access token of a Synapse server administrator, to lock the account in Synapse too when a membership stops.',
              ),
            ],
          },
        ],
      };
    }
    case 'mastodon': {
      const redirect = `${url}/auth/auth/openid_connect/callback`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: ['openid', 'profile', 'email'],
        steps: [
          makeClient([redirect]),
          {
            title: tr(
              'Sett miljøvariablene i .env.production',
              'Set the environment variables in .env.production',
            ),
            text: [
              tr(
                'Kontonavnet blir medlemmets brukernavn (preferred_username). OMNIAUTH_ONLY=true slår av Mastodons egne passord og registrering. Start web- og sidekiq-tjenestene på nytt.',
                "The account name becomes the member's user name (preferred_username). OMNIAUTH_ONLY=true turns off Mastodon's own passwords and sign-up. Restart the web and sidekiq services.",
              ),
            ],
            code: [
              'OIDC_ENABLED=true',
              `OIDC_DISPLAY_NAME=${name}`,
              `OIDC_ISSUER=${e.issuer}`,
              'OIDC_DISCOVERY=true',
              'OIDC_SCOPE=openid,profile,email',
              'OIDC_UID_FIELD=preferred_username',
              `OIDC_CLIENT_ID=${clientId}`,
              `OIDC_CLIENT_SECRET=${SECRET_PLACEHOLDER}`,
              `OIDC_REDIRECT_URI=${redirect}`,
              'OIDC_SECURITY_ASSUME_EMAIL_IS_VERIFIED=true',
              'OMNIAUTH_ONLY=true',
            ].join('\n'),
          },
          {
            title: tr('Sperring', 'Suspension'),
            text: [
              tr(
                'Mastodon kan ikke begrense innlogging til en gruppe, og støtter ikke back-channel-utlogging. Allmenning avviser derfor selv innlogging for medlemmer uten gyldig medlemskap. For å stenge en konto som allerede er logget inn: velg koblingen «Mastodon» med en token for en moderator- eller administratorkonto med tilgangene admin:read:accounts og admin:write:accounts.',
                'Mastodon cannot restrict login to a group and does not support back-channel logout, so Allmenning itself refuses login to members without a valid membership. To close an account that is already logged in: choose the "Mastodon" connector with a token of a moderator or admin account with the scopes admin:read:accounts and admin:write:accounts.',
              ),
            ],
          },
        ],
      };
    }
    case 'vaultwarden': {
      const redirect = `${url}/identity/connect/oidc-signin`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: ['openid', 'profile', 'email', 'offline_access'],
        steps: [
          makeClient([redirect]),
          {
            title: tr('Sett miljøvariablene', 'Set the environment variables'),
            text: [
              tr(
                'SSO_AUTHORITY er utstederen, uten /.well-known/… og uten skråstrek til slutt. Vaultwarden kjenner brukerne på e-postadressen; hovedpassordet styres fortsatt av medlemmet selv. Krever en Vaultwarden-versjon med SSO-støtte.',
                "SSO_AUTHORITY is the issuer, without /.well-known/… and without a trailing slash. Vaultwarden knows users by email address; the master password is still the member's own. Needs a Vaultwarden release with SSO support.",
              ),
            ],
            code: [
              'SSO_ENABLED=true',
              `SSO_AUTHORITY=${e.issuer}`,
              `SSO_CLIENT_ID=${clientId}`,
              `SSO_CLIENT_SECRET=${SECRET_PLACEHOLDER}`,
              'SSO_SCOPES="email profile offline_access"',
              'SSO_PKCE=true',
              'SSO_SIGNUPS_MATCH_EMAIL=true',
              'SSO_ONLY=false',
            ].join('\n'),
          },
          {
            title: tr('Hvem slipper inn', 'Who gets in'),
            text: [
              gateNote,
              tr(
                'Vaultwarden fornyer tokenet jevnlig; når et medlemskap stanser, avviser Allmenning neste fornying og økten ender. Sett SSO_ONLY=true når alle har logget inn med Allmenning minst én gang.',
                'Vaultwarden refreshes its token regularly; when a membership stops, Allmenning refuses the next refresh and the session ends. Set SSO_ONLY=true once everyone has logged in through Allmenning at least once.',
              ),
            ],
          },
        ],
      };
    }
    case 'pixelfed': {
      const redirect = `${url}/auth/oidc/callback`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: ['openid', 'profile', 'email'],
        steps: [
          makeClient([redirect]),
          {
            title: tr('Sett variablene i .env', 'Set the variables in .env'),
            text: [
              tr(
                'Pixelfed leser ikke discovery-dokumentet, så endepunktene står her hver for seg. De er Allmennings standardadresser; kontroller dem mot discovery-dokumentet. Kjør php artisan config:cache etterpå.',
                "Pixelfed does not read the discovery document, so the endpoints are listed one by one. They are Allmenning's standard addresses; check them against the discovery document. Run php artisan config:cache afterwards.",
              ),
            ],
            code: [
              'PF_OIDC_ENABLED=true',
              `PF_OIDC_CLIENT_ID=${clientId}`,
              `PF_OIDC_CLIENT_SECRET=${SECRET_PLACEHOLDER}`,
              'PF_OIDC_SCOPES="openid profile email"',
              `PF_OIDC_AUTHORIZE_URL=${e.authorization}`,
              `PF_OIDC_TOKEN_URL=${e.token}`,
              `PF_OIDC_PROFILE_URL=${e.userinfo}`,
              `PF_OIDC_LOGOUT_URL=${e.endSession}`,
              'PF_OIDC_USERNAME_FIELD=preferred_username',
              'PF_OIDC_FIELD_ID=sub',
            ].join('\n'),
          },
          {
            title: tr('Kontroller endepunktene', 'Check the endpoints'),
            text: [tr('Skal gi de samme tre adressene:', 'Should print the same three addresses:')],
            code: `curl -s ${e.discovery} | jq -r '.authorization_endpoint, .token_endpoint, .userinfo_endpoint'`,
          },
          { title: tr('Hvem slipper inn', 'Who gets in'), text: [gateNote] },
        ],
      };
    }
    case 'forgejo': {
      const redirect = `${url}/user/oauth2/allmenning/callback`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: ['openid', 'profile', 'email', 'groups'],
        steps: [
          makeClient(
            [redirect],
            tr(
              '«allmenning» i adressen er navnet på innloggingskilden i Forgejo nedenfor; de må være like.',
              '"allmenning" in the address is the name of the authentication source in Forgejo below; they must match.',
            ),
          ),
          {
            title: tr('Legg til innloggingskilden', 'Add the authentication source'),
            text: [
              tr(
                'Kjør som brukeren Forgejo kjører som (ofte git), med riktig --config.',
                'Run as the user Forgejo runs as (often git), with the right --config.',
              ),
            ],
            code: [
              'sudo -u git forgejo admin auth add-oauth \\',
              '  --name allmenning \\',
              '  --provider openidConnect \\',
              `  --key "${clientId}" \\`,
              `  --secret "${SECRET_PLACEHOLDER}" \\`,
              `  --auto-discover-url "${e.discovery}" \\`,
              '  --scopes openid --scopes profile --scopes email --scopes groups \\',
              '  --group-claim-name groups \\',
              '  --skip-local-2fa',
            ].join('\n'),
          },
          {
            title: tr('Brukernavn og registrering i app.ini', 'User names and sign-up in app.ini'),
            text: [
              tr(
                'Nye kontoer opprettes ved første innlogging, med medlemmets brukernavn (preferred_username). Start Forgejo på nytt.',
                "New accounts are created at first login, with the member's user name (preferred_username). Restart Forgejo.",
              ),
            ],
            code: [
              '[oauth2_client]',
              'ENABLE_AUTO_REGISTRATION = true',
              'USERNAME = preferred_username',
              'ACCOUNT_LINKING = login',
              '',
              '[service]',
              'ALLOW_ONLY_EXTERNAL_REGISTRATION = true',
            ].join('\n'),
          },
          {
            title: tr('Sperring', 'Suspension'),
            text: [
              gateNote,
              tr(
                'Velg koblingen «Forgejo» med en token for en administrator med tilgangen write:admin for å hindre innlogging også med Git-nøkler og tokens når et medlemskap stanser.',
                'Choose the "Forgejo" connector with a token of an administrator with the write:admin scope to prohibit login, including Git keys and tokens, when a membership stops.',
              ),
            ],
          },
        ],
      };
    }
    case 'peertube': {
      const redirect = `${url}/plugins/auth-openid-connect/router/code-cb`;
      return {
        redirectUris: [redirect],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: ['openid', 'profile', 'email', 'groups'],
        steps: [
          makeClient([redirect]),
          {
            title: tr('Installer tillegget', 'Install the plugin'),
            text: [
              tr(
                'Administrasjon → Innstillinger → Plugins/Themes → søk etter «auth-openid-connect» og installer det offisielle tillegget.',
                'Administration → Settings → Plugins/Themes → search for "auth-openid-connect" and install the official plugin.',
              ),
            ],
          },
          {
            title: tr('Fyll inn innstillingene', 'Fill in the settings'),
            text: [
              tr(
                'Under Installed plugins → auth-openid-connect → Settings. «Allowed group» gjør at bare medlemmer med tilgang til denne tjenesten slipper inn også om Allmenning-sjekken skulle bli omgått.',
                'Under Installed plugins → auth-openid-connect → Settings. "Allowed group" lets in only members with access to this service, as a second lock behind Allmenning\'s own check.',
              ),
            ],
            code: [
              `Auth display name:     ${name}`,
              `Discover URL:          ${e.discovery}`,
              `Client ID:             ${clientId}`,
              `Client secret:         ${SECRET_PLACEHOLDER}`,
              'Scope:                 openid email profile groups',
              'Username property:     preferred_username',
              'Email property:        email',
              'Display name property: name',
              'Group property:        groups',
              `Allowed group:         service:${v.service.slug}`,
            ].join('\n'),
          },
        ],
      };
    }
    case 'discourse': {
      const connectUrl = `${v.baseUrl}/sso/discourse/${v.service.slug}`;
      return {
        redirectUris: [],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: [],
        steps: [
          {
            title: tr(
              'Velg DiscourseConnect som innloggingsmåte',
              'Choose DiscourseConnect as login method',
            ),
            text: [
              tr(
                'På tjenestesiden: innloggingsmåte «DiscourseConnect». Når du lagrer, lager Allmenning en delt hemmelighet og viser den én gang. Mistet den? Kryss av for ny hemmelighet og lagre igjen (da må den også byttes i Discourse).',
                'On the service page: login method "DiscourseConnect". When you save, Allmenning makes a shared secret and shows it once. Lost it? Tick "new secret" and save again (then change it in Discourse too).',
              ),
            ],
          },
          {
            title: tr('Innstillinger i Discourse', 'Settings in Discourse'),
            text: [
              tr(
                'Admin → Settings, søk etter hvert navn. Med «discourse connect overrides groups» av følger gruppene members, board og vervene (board_member, board_alternate, treasurer, moderator, sysadmin, auditor) medlemskapet; lag de gruppene du vil bruke i Discourse. Grupper du har laget selv, røres ikke.',
                'Admin → Settings, search for each name. With "discourse connect overrides groups" off, the groups members, board and the offices (board_member, board_alternate, treasurer, moderator, sysadmin, auditor) follow the membership; create the groups you want to use in Discourse. Groups you made yourself are left alone.',
              ),
            ],
            code: [
              'enable discourse connect:            on',
              `discourse connect url:               ${connectUrl}`,
              'discourse connect secret:            <the secret Allmenning showed once>',
              'auth overrides email:                on',
              'auth overrides username:             on',
              'auth overrides name:                 on',
              'discourse connect overrides groups:  off',
              'login required:                      on',
            ].join('\n'),
          },
          {
            title: tr('Sperring', 'Suspension'),
            text: [
              tr(
                'Allmenning avviser innlogging for medlemmer uten gyldig medlemskap. For å stenge og logge ut en konto som allerede er inne: velg koblingen «Discourse» med en API-nøkkel (Admin → API, global eller med users: suspend, unsuspend, log out, show); den brukes som brukeren system.',
                'Allmenning refuses login to members without a valid membership. To suspend and log out an account already signed in: choose the "Discourse" connector with an API key (Admin → API, global or with users: suspend, unsuspend, log out, show); it is used as the user system.',
              ),
            ],
          },
        ],
      };
    }
    case 'other':
      return {
        redirectUris: [],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
        scopes: ['openid', 'profile', 'email'],
        steps: [
          makeClient(["<the service's callback address>"]),
          {
            title: tr('Verdier for tjenesten', 'Values for the service'),
            text: [
              tr(
                'Bruk discovery hvis tjenesten kan; ellers endepunktene hver for seg. Bruk preferred_username som brukernavn (det endres aldri) og sub som fast ID.',
                'Use discovery if the service can; otherwise the endpoints one by one. Use preferred_username as user name (it never changes) and sub as the stable ID.',
              ),
            ],
            code: [
              `issuer:                 ${e.issuer}`,
              `discovery:              ${e.discovery}`,
              `authorization_endpoint: ${e.authorization}`,
              `token_endpoint:         ${e.token}`,
              `userinfo_endpoint:      ${e.userinfo}`,
              `end_session_endpoint:   ${e.endSession}`,
              `jwks_uri:               ${e.jwks}`,
              `client_id:              ${clientId}`,
              'username claim:         preferred_username',
            ].join('\n'),
          },
          { title: tr('Hvem slipper inn', 'Who gets in'), text: [gateNote] },
        ],
      };
  }
}

export function setupGuide(software: ServiceSoftware, values: GuideValues): Guide {
  return guideFor(software, values);
}
