/**
 * @serenity/sdk: a small typed client for the Serenity GraphQL API.
 *
 * No runtime dependencies: it uses the global `fetch` (Node ≥ 18, browsers, Deno, Bun) or
 * the one you pass. Every operation of sdk/src/operations/ is a generated, typed document
 * (`PackagesDocument`, …) that `request` accepts; results and variables are typed from it.
 */
import {
  BookConsultationDocument,
  CancelConsultationDocument,
  LoginDocument,
  OpenSlotsDocument,
  LogoutDocument,
  PackageDocument,
  PackagesDocument,
  RefreshTokenDocument,
  type BookConsultationInput,
  type CancelConsultationMutation,
  type ConsultationFieldsFragment,
  type OpenSlotsInput,
  type OpenSlotsQuery,
  type PackageFieldsFragment,
  type SessionFieldsFragment,
  type TypedDocumentString,
} from './generated/graphql.js';

export * from './generated/graphql.js';

/** Tokens and user of a signed-in session, as login/refresh return them. */
export type Session = SessionFieldsFragment;

/** A package of the catalog, with every field the SDK selects. */
export type Package = PackageFieldsFragment;

/** A consultation, with the fields every consultation operation of the SDK selects. */
export type ConsultationSummary = ConsultationFieldsFragment;

/** An open start time of a consultant. */
export type OpenSlot = OpenSlotsQuery['openSlots'][number];

/** What cancelConsultation did: the consultation, and whether the credit came back. */
export type CancellationResult = CancelConsultationMutation['cancelConsultation'];

/** The codes of the API contract; other strings are possible (protocol errors, HTTP_<status>, …). */
export type SerenityErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYMENT_REQUIRED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'NETWORK_ERROR'
  | 'INVALID_RESPONSE'
  | `HTTP_${number}`
  | (string & Record<never, never>);

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
}

export interface SerenityErrorInit {
  code: SerenityErrorCode;
  errors?: readonly GraphQLErrorEntry[] | undefined;
  status?: number | undefined;
  field?: string | undefined;
  reason?: string | undefined;
  retryAfterSeconds?: number | undefined;
  path?: ReadonlyArray<string | number> | undefined;
  data?: unknown;
  cause?: unknown;
}

/**
 * What every failed request throws. For GraphQL errors the fields come from the first
 * error (`errors` has them all); for HTTP failures without a GraphQL body `code` is
 * `HTTP_<status>`; when the server cannot be reached it is `NETWORK_ERROR`.
 */
export class SerenityError extends Error {
  /** `extensions.code` of the first GraphQL error, `HTTP_<status>`, `NETWORK_ERROR` or `INVALID_RESPONSE`. */
  readonly code: SerenityErrorCode;
  /** The input field at fault (`extensions.field`), e.g. "input.start". */
  readonly field: string | undefined;
  /** Machine-readable reason (`extensions.reason`), e.g. for PAYMENT_REQUIRED. */
  readonly reason: string | undefined;
  /** For RATE_LIMITED (`extensions.retryAfterSeconds`, or the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;
  /** Where in the result the first error happened. */
  readonly path: ReadonlyArray<string | number> | undefined;
  /** Every GraphQL error of the response (empty for HTTP and network failures). */
  readonly errors: readonly GraphQLErrorEntry[];
  /** The HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Partial data the server returned alongside the errors, if any. */
  readonly data: unknown;

  constructor(message: string, init: SerenityErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'SerenityError';
    this.code = init.code;
    this.field = init.field;
    this.reason = init.reason;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.path = init.path;
    this.errors = init.errors ?? [];
    this.status = init.status;
    this.data = init.data;
  }
}

/** The subset of the Fetch API the client uses, so any fetch implementation fits. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignalLike },
) => Promise<FetchResponseLike>;
/** An AbortSignal (structural, so the SDK needs neither DOM nor Node type definitions). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export interface SerenityClientOptions {
  /** The GraphQL endpoint, e.g. "https://api.example.com/graphql". */
  url: string;
  /** Sent as `Authorization: Bearer <accessToken>`; change it later with setAccessToken. */
  accessToken?: string | null | undefined;
  /** Defaults to the global fetch. */
  fetch?: FetchLike | undefined;
  /** Extra headers on every request (e.g. x-request-id). */
  headers?: Record<string, string> | undefined;
}

export interface RequestOptions {
  signal?: AbortSignalLike | undefined;
  /** Extra headers for this request only. */
  headers?: Record<string, string> | undefined;
}

/** Variables may be left out only when the operation has no required variable. */
export type RequestArgs<TVariables> = Record<never, never> extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

export interface SerenityClient {
  /** Runs a generated document; resolves with its `data`, throws SerenityError otherwise. */
  request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...args: RequestArgs<TVariables>
  ): Promise<TResult>;
  /** Sets (or with null clears) the bearer token for the following requests. */
  setAccessToken(token: string | null): void;
  /** Signs in; the client then sends the access token and keeps the refresh token. */
  login(email: string, password: string): Promise<Session>;
  /** Exchanges the kept refresh token (once) for new tokens; sign in again when it fails. */
  refresh(): Promise<Session>;
  /** Ends the session on the server and forgets the tokens. */
  logout(): Promise<void>;
  /** The tokens the client holds after login/refresh, or null. */
  readonly session: Session | null;
  /** The package catalog in display order; archived ones too with includeInactive. */
  packages(includeInactive?: boolean): Promise<Package[]>;
  /** One package by id or code (e.g. "PKG-DISCOVERY-ASSESSMENT"); SerenityError NOT_FOUND when unknown. */
  package(idOrCode: string): Promise<Package>;
  /** Open start times (of one consultant, or of every one with the skills), earliest first. */
  openSlots(input: OpenSlotsInput): Promise<OpenSlot[]>;
  /** Books a session with a credit; pass an idempotencyKey to retry safely. */
  bookConsultation(input: BookConsultationInput): Promise<ConsultationSummary>;
  /** Cancels a consultation; says whether the credit was released (24 h policy for clients). */
  cancelConsultation(id: string, reason?: string): Promise<CancellationResult>;
}

export function createSerenityClient(options: SerenityClientOptions): SerenityClient {
  const fetchImpl: FetchLike = options.fetch ?? globalFetch();
  const baseHeaders = { ...options.headers };
  let accessToken = options.accessToken ?? null;

  async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    ...[variables, requestOptions]: RequestArgs<TVariables>
  ): Promise<TResult> {
    const headers: Record<string, string> = {
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...baseHeaders,
      ...requestOptions?.headers,
      'content-type': 'application/json',
    };
    if (accessToken) {
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      headers.authorization = `Bearer ${accessToken}`;
    }
    const body = JSON.stringify(variables === undefined ? { query: document.toString() } : { query: document.toString(), variables });

    let response: FetchResponseLike;
    try {
      response = await fetchImpl(options.url, { method: 'POST', headers, body, ...(requestOptions?.signal ? { signal: requestOptions.signal } : {}) });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new SerenityError(`Could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'NETWORK_ERROR',
        cause: error,
      });
    }
    const text = await response.text();
    const payload = parseJson(text);

    if (isObject(payload) && Array.isArray(payload.errors) && payload.errors.length > 0) {
      throw fromGraphQLErrors(payload.errors as GraphQLErrorEntry[], response, payload.data);
    }
    if (!response.ok) {
      const detail = isObject(payload) && typeof payload.error === 'string' ? payload.error : text.trim().slice(0, 200) || response.statusText;
      throw new SerenityError(`HTTP ${response.status}${detail ? `: ${detail}` : ''}`, {
        code: `HTTP_${response.status}`,
        status: response.status,
        retryAfterSeconds: retryAfterHeader(response),
      });
    }
    if (!isObject(payload) || !isObject(payload.data)) {
      throw new SerenityError('The server answered without GraphQL data.', { code: 'INVALID_RESPONSE', status: response.status });
    }
    return payload.data as TResult;
  }

  let session: Session | null = null;
  const adopt = (next: Session): Session => {
    session = next;
    accessToken = next.accessToken;
    return next;
  };

  return {
    request,
    setAccessToken(token) {
      accessToken = token;
    },
    get session() {
      return session;
    },
    async login(email, password) {
      return adopt((await request(LoginDocument, { email, password })).login);
    },
    async refresh() {
      if (!session) throw new SerenityError('No session to refresh: call login first.', { code: 'UNAUTHENTICATED' });
      return adopt((await request(RefreshTokenDocument, { refreshToken: session.refreshToken })).refreshToken);
    },
    async logout() {
      try {
        if (accessToken) await request(LogoutDocument);
      } finally {
        session = null;
        accessToken = null;
      }
    },
    async packages(includeInactive) {
      const data = await request(PackagesDocument, includeInactive === undefined ? {} : { includeInactive });
      return data.packages;
    },
    async package(idOrCode) {
      const data = await request(PackageDocument, { id: idOrCode });
      if (!data.package) throw new SerenityError(`Package "${idOrCode}" was not found.`, { code: 'NOT_FOUND', field: 'id' });
      return data.package;
    },
    async openSlots(input) {
      return (await request(OpenSlotsDocument, { input })).openSlots;
    },
    async bookConsultation(input) {
      return (await request(BookConsultationDocument, { input })).bookConsultation;
    },
    async cancelConsultation(id, reason) {
      return (await request(CancelConsultationDocument, reason === undefined ? { id } : { id, reason })).cancelConsultation;
    },
  };
}

function globalFetch(): FetchLike {
  const { fetch } = globalThis as { fetch?: FetchLike };
  if (typeof fetch !== 'function') throw new TypeError('No global fetch: pass `fetch` to createSerenityClient (Node ≥ 18 has one).');
  // Called through globalThis: some browsers reject a detached fetch ("Illegal invocation").
  return (url, init) => fetch.call(globalThis, url, init);
}

function fromGraphQLErrors(errors: GraphQLErrorEntry[], response: FetchResponseLike, data: unknown): SerenityError {
  const [first] = errors as [GraphQLErrorEntry, ...GraphQLErrorEntry[]];
  const extensions = first.extensions ?? {};
  const retryAfter = extensions.retryAfterSeconds;
  return new SerenityError(first.message, {
    code: typeof extensions.code === 'string' ? extensions.code : response.ok ? 'INTERNAL_SERVER_ERROR' : `HTTP_${response.status}`,
    errors,
    status: response.status,
    field: typeof extensions.field === 'string' ? extensions.field : undefined,
    reason: typeof extensions.reason === 'string' ? extensions.reason : undefined,
    retryAfterSeconds: typeof retryAfter === 'number' ? retryAfter : retryAfterHeader(response),
    path: first.path,
    data: data ?? undefined,
  });
}

function retryAfterHeader(response: FetchResponseLike): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isAbort(error: unknown): boolean {
  return isObject(error) && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
