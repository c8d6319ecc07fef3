// A real OpenID Connect provider for the sign-in tests: panva's certified `oidc-provider`, on a
// free loopback port, with its own sign-in page and the test users of a JSON file.
//
//   node server.mjs CONFIG.json
//
// CONFIG: {"users": "users.json", "clients": [{"client_id", "client_secret", "redirect_uris",
// "post_logout_redirect_uris", "tamper"?}]}. The users file, {"name": {"password", "groups",
// "email"}}, is read again at every sign-in, so a test moves a user between groups by rewriting
// it. Once listening, the server prints one line of JSON, {"issuer": "http://127.0.0.1:PORT"},
// and serves until it is stopped.
//
// A client with "tamper" gets ID tokens changed after they are made and signed again with the
// provider's own key: "audience" names another app, "expired" puts the token an hour in the past.
// The signature stays valid, so the app must refuse them on their claims.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

import { CompactSign, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const users = () => JSON.parse(readFileSync(config.users, 'utf8'));
const tampering = new Map(config.clients.filter((c) => c.tamper).map((c) => [c.client_id, c.tamper]));
const SCOPES = 'openid email profile groups';

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const kid = randomBytes(8).toString('hex');
const signingKey = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

async function findAccount(ctx, id) {
  const user = users()[id];
  if (!user) return undefined;
  return {
    accountId: id,
    async claims() {
      // Read again: a user removed from a group has lost it by their next sign-in.
      const now = users()[id] || { groups: [] };
      return {
        sub: id,
        preferred_username: id,
        email: now.email || `${id}@company.test`,
        email_verified: true,
        name: now.name || id,
        groups: now.groups || [],
      };
    },
  };
}

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients.map(({ tamper, ...client }) => ({
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...client,
  })),
  jwks: { keys: [signingKey] },
  findAccount,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
  },
  scopes: SCOPES.split(' '),
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page(
          'Sign out of Test Company?',
          `${form}<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
        );
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Signed out of Test Company', '<p>You are signed out.</p>');
      },
    },
  },
  // The app is the company's own: no consent page, every scope it asks for is granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES);
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Test Company sign-in error', `<p>${escape(out.error)}: ${escape(out.error_description || '')}</p>`);
  },
});

function loginForm(uid, message = '') {
  return page('Test Company sign-in', `${message ? `<p class="error">${escape(message)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}">
  <label>Username <input id="username" name="username" autocomplete="off" required></label>
  <label>Password <input id="password" name="password" type="password" required></label>
  <button type="submit">Sign in</button>
</form>`);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

// Tokens for a tampering client are changed after the provider made them (see the top).
provider.use(async (ctx, next) => {
  await next();
  const how = tampering.get(ctx.oidc?.client?.clientId);
  if (!how || ctx.path !== '/token' || ctx.status !== 200 || !ctx.body?.id_token) return;
  const [, payload] = ctx.body.id_token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  if (how === 'audience') claims.aud = 'another-app';
  if (how === 'expired') {
    claims.iat -= 7200;
    claims.exp = claims.iat + 3600;
  }
  ctx.body = {
    ...ctx.body,
    id_token: await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader(decodeProtectedHeader(ctx.body.id_token))
      .sign(privateKey),
  };
});

const callback = provider.callback();
server.on('request', async (req, res) => {
  const match = /^\/interaction\/([\w-]+)$/.exec(req.url);
  if (!match) {
    callback(req, res);
    return;
  }
  try {
    const details = await provider.interactionDetails(req, res);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'GET') {
      res.end(loginForm(details.uid));
      return;
    }
    const form = await readForm(req);
    const name = form.get('username') || '';
    const user = users()[name];
    if (!user || user.password !== form.get('password')) {
      res.statusCode = 401;
      res.end(loginForm(details.uid, 'Wrong username or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: name } }, {
      mergeWithLastSubmission: false,
    });
  } catch (error) {
    res.statusCode = 400;
    res.end(page('Test Company sign-in error', `<p>${escape(error.message)}</p>`));
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
