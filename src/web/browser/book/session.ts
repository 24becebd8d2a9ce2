/**
 * The widget's SDK client and its tokens: kept for the tab in sessionStorage (the SDK refreshes
 * them), or the partner's access token, passed by postMessage — never stored nor refreshed here.
 */
import { createSerenityClient, type SerenityClient, type Tokens } from '@serenity/sdk';

const KEY = 'serenity-book-tokens';

function stored(): Tokens | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Tokens> | null;
    return typeof value?.accessToken === 'string' && typeof value.refreshToken === 'string' ? { accessToken: value.accessToken, refreshToken: value.refreshToken } : null;
  } catch {
    return null; // Storage refused (a strict third-party setting): sign in for this page only.
  }
}

function store(tokens: Tokens | null): void {
  try {
    if (tokens) sessionStorage.setItem(KEY, JSON.stringify(tokens));
    else sessionStorage.removeItem(KEY);
  } catch {
    // As above: nothing kept.
  }
}

export interface Session {
  client: SerenityClient;
  /** Whether someone is signed in (own login, a kept session or the partner's token). */
  signedIn: boolean;
  /** The partner's token: sign-out is theirs, not the widget's. */
  fromHost: boolean;
}

export function openSession(url: string, host?: { accessToken: string }): Session {
  const tokens = host ? { accessToken: host.accessToken, refreshToken: undefined } : stored();
  const client = createSerenityClient({
    url,
    accessToken: tokens?.accessToken,
    refreshToken: tokens?.refreshToken,
    // The partner's token is theirs to renew (the widget asks with "token-expired").
    autoRefresh: !host,
    onTokens: (session) => {
      if (!host) store(session ? { accessToken: session.accessToken, refreshToken: session.refreshToken } : null);
    },
  });
  return { client, signedIn: Boolean(tokens), fromHost: Boolean(host) };
}

export function forgetSession(): void {
  store(null);
}
