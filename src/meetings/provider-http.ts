/**
 * What the Teams and Google Meet providers share: one HTTP call with a deadline and a JSON
 * answer, a bearer-token cache (one grant per key in flight, reused until shortly before it
 * expires; Zoom's provider keeps its token here too) and the "refresh once on a 401" rule. Messages name the provider's own error code and
 * text, never a secret or a token.
 */

export interface ProviderHttpOptions {
  /** MEETING_HTTP_TIMEOUT_MS: one call's deadline; past it the call rejects and the job retries. */
  timeoutMs: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface HttpAnswer {
  status: number;
  /** The parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
}

/** A provider said no: its HTTP status and its own words. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** Replaces every secret that could surface in a provider's text (an echo of a form field, a header) with a mark. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  return out;
}

/**
 * One request; rejects when no answer arrives within the deadline (the body read included), so a
 * hanging provider never holds the job. `what` names the call in messages ("Teams: PATCH meeting").
 */
export async function callJson(options: ProviderHttpOptions, what: string, url: string, init: RequestInit): Promise<HttpAnswer> {
  const fetchImpl = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetchImpl(url, { ...init, signal });
    const text = await response.text();
    let body: unknown = text.length === 0 ? null : text;
    try {
      if (text.length > 0) body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML page): keep the text for the message.
    }
    return { status: response.status, body };
  } catch (error) {
    if (signal.aborted) throw new Error(`${what}: no answer within ${options.timeoutMs} ms (MEETING_HTTP_TIMEOUT_MS)`, { cause: error });
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND …) is on its cause.
    const reason = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
    const detail = typeof reason?.code === 'string' ? reason.code : typeof reason?.message === 'string' ? reason.message : null;
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}${detail ? ` (${detail})` : ''}`, { cause: error });
  }
}

/** A short, single-line excerpt of a body that is not the expected JSON. */
export function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  return text.replace(/\s+/g, ' ').slice(0, 300);
}

interface Cached {
  token: string;
  refreshAt: number;
}

export interface Grant {
  token: string;
  expiresInSeconds: number;
}

/**
 * Bearer tokens by key (Zoom, Teams: one; Google: one per impersonated user). A token is reused until
 * shortly before it expires (5 minutes, or half its life when it lives less than 10), and calls
 * that need one while a grant is in flight wait for that grant instead of asking again.
 */
export class TokenCache {
  private readonly cached = new Map<string, Cached>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly grant: (key: string) => Promise<Grant>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(key: string): Promise<string> {
    const hit = this.cached.get(key);
    if (hit && this.now().getTime() < hit.refreshAt) return Promise.resolve(hit.token);
    return this.fresh(key);
  }

  /** A new grant whatever is cached (after a 401, or to check the credentials), shared with concurrent callers. */
  fresh(key: string): Promise<string> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const granted = (async () => {
      const asked = this.now().getTime();
      const { token, expiresInSeconds } = await this.grant(key);
      const margin = Math.min(300, expiresInSeconds / 2) * 1000;
      this.cached.set(key, { token, refreshAt: asked + expiresInSeconds * 1000 - margin });
      return token;
    })().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, granted);
    return granted;
  }

  /** Forgets `token` (the API refused it); a newer token another call already fetched is kept. */
  drop(key: string, token: string): void {
    if (this.cached.get(key)?.token === token) this.cached.delete(key);
  }
}

/**
 * Calls the API with a cached token; on a 401 drops it, fetches one new token and repeats the call
 * once. A second 401 is returned to the caller, who names the rejected credentials.
 */
export async function withToken(tokens: TokenCache, key: string, call: (token: string) => Promise<HttpAnswer>): Promise<HttpAnswer> {
  const token = await tokens.get(key);
  const first = await call(token);
  if (first.status !== 401) return first;
  tokens.drop(key, token);
  // get, not fresh: a concurrent call may already hold the new token.
  return call(await tokens.get(key));
}
