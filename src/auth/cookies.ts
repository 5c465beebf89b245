/** The cookie that carries a console session's token (HttpOnly: page scripts never read it). */
export const SESSION_COOKIE = 'consign_session';

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return undefined;
}

/**
 * A Set-Cookie value for the session: HttpOnly, SameSite=Lax (sent when a person opens a link to
 * the console from elsewhere, not on another site's form posts), Secure when served over HTTPS.
 * An empty `token` with `maxAgeSeconds` 0 deletes it.
 */
export function sessionCookie(
  token: string,
  options: { maxAgeSeconds: number; secure: boolean; name?: string; path?: string },
): string {
  return [
    `${options.name ?? SESSION_COOKIE}=${encodeURIComponent(token)}`,
    `Path=${options.path ?? '/'}`,
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${options.maxAgeSeconds}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The cookie that keeps a single sign-on's state and PKCE verifier while the browser is at the provider. */
export const SSO_COOKIE = 'consign_sso';
