// A real OpenID Connect provider on loopback for the log-in tests, as a
// municipality's DigiD or eHerkenning broker would be one: the npm package
// oidc-provider with one confidential client that must use PKCE (S256), two
// test accounts and a minimal log-in form (no consent screen: the grant for
// the one client is made on log-in, as a broker does for a municipality).
//
// Started by the pytest fixture in tests/oidc/fixtures.py:
//   PORT=... CLIENT_ID=... CLIENT_SECRET=... REDIRECT_URIS=a,b node provider.mjs
// It prints "ready <issuer>" once it listens and stops on SIGTERM.

import http from 'node:http';
import { randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 0);
const issuer = `http://127.0.0.1:${port}`;

// The test accounts: the log-in name, its password and the claims the broker gives.
export const ACCOUNTS = {
  jan: {
    password: 'jan-wachtwoord',
    claims: {
      sub: 's-0001-jan',
      name: 'Jan de Vries',
      birthdate: '1990-04-12',
      address: { postal_code: '7511 AB', country: 'NL' },
      house_number: '12a',
    },
  },
  kim: {
    password: 'kim-wachtwoord',
    claims: {
      sub: 's-0002-kim',
      birthdate: '2011-09-30',
      address: { postal_code: '7522 NB' },
      house_number: '3',
      email: 'kim@example.org',
      email_verified: true,
    },
  },
};

const bySubject = Object.fromEntries(
  Object.values(ACCOUNTS).map((account) => [account.claims.sub, account.claims]),
);

const SCOPES = ['openid', 'profile', 'address', 'email'];

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID || 'participatie',
      client_secret: process.env.CLIENT_SECRET || 'geheim',
      redirect_uris: (process.env.REDIRECT_URIS || '').split(',').filter(Boolean),
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  // PKCE for every client, confidential ones too (S256 is the only method offered).
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name', 'birthdate'],
    address: ['address', 'house_number'],
    email: ['email', 'email_verified'],
  },
  scopes: SCOPES,
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: { devInteractions: { enabled: false } },
  async findAccount(ctx, id) {
    const claims = bySubject[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => claims };
  },
  // No consent screen: the client is the municipality's own.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES.join(' '));
    await grant.save();
    return grant;
  },
  ttl: { Session: 600, Interaction: 600, Grant: 600 },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, message) {
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Test-inlogdienst</title></head>
<body><main><h1>Test-inlogdienst</h1>
${message ? `<p role="alert">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<p><label for="login">Gebruikersnaam</label> <input id="login" name="login" autocomplete="username"></p>
<p><label for="password">Wachtwoord</label> <input id="password" name="password" type="password" autocomplete="current-password"></p>
<p><button type="submit">Inloggen bij de test-inlogdienst</button></p>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort">
<p><button type="submit">Annuleren</button></p>
</form></main></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, url) {
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'GET' && !action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginPage(uid));
    return;
  }
  if (req.method === 'POST' && action === 'abort') {
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    });
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const account = ACCOUNTS[form.get('login') || ''];
    if (!account || account.password !== form.get('password')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(loginPage(uid, 'Onbekende gebruikersnaam of wachtwoord.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.claims.sub } });
    return;
  }
  res.writeHead(404);
  res.end();
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((error) => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error && error.message));
    });
    return;
  }
  callback(req, res);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
