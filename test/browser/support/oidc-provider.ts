import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  email: string;
  name: string;
  groups: string[];
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Starts answering, with Consign's callback as the client's one redirect URI. */
  serve(redirectUri: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (`oidc-provider`) on 127.0.0.1, with its development login and
 * consent pages: any password signs in the account named by the login. Its port is known before
 * Consign starts (Consign needs the issuer), its client after (the client needs Consign's URL).
 */
export async function startOidcProvider(accounts: Record<string, TestAccount>): Promise<OidcTestProvider> {
  const server = http.createServer((_request, response) => {
    response.statusCode = 503;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'consign-console';
  const clientSecret = 'a-client-secret-for-tests-only';
  return {
    issuer,
    clientId,
    clientSecret,
    serve(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] }],
        claims: { openid: ['sub'], email: ['email'], profile: ['name', 'groups'] },
        // The scopes' claims go into the ID token, which is what Consign reads.
        conformIdTokenClaims: false,
        cookies: { keys: ['cookie-key-for-tests-only'] },
        findAccount: (_ctx, sub) => {
          const account = accounts[sub];
          return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
        },
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
