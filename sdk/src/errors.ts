/** SerenityError: what every failed request of the client throws, typed by `extensions.code`. */

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
  | 'SLOW_CONSUMER'
  | 'TOO_MANY_SUBSCRIPTIONS'
  | 'CONNECTION_CLOSED'
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
  closeCode?: number | undefined;
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
  /** For subscriptions: the WebSocket close code that ended them (4401, 4403, 4429, …). */
  readonly closeCode: number | undefined;
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
    this.closeCode = init.closeCode;
    this.data = init.data;
  }
}

/** The part of a fetch Response the errors read. */
interface ResponseHead {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
}

/**
 * A SerenityError from a GraphQL response's `errors` (the first one names the code); `response`
 * is null for a subscription's errors, which come over the WebSocket.
 */
export function fromGraphQLErrors(errors: readonly GraphQLErrorEntry[], response: ResponseHead | null, data: unknown): SerenityError {
  const [first] = errors as [GraphQLErrorEntry, ...GraphQLErrorEntry[]];
  const extensions = first.extensions ?? {};
  const code = extensions['code'];
  const field = extensions['field'];
  const reason = extensions['reason'];
  const retryAfter = extensions['retryAfterSeconds'];
  return new SerenityError(first.message, {
    code: typeof code === 'string' ? code : !response || response.ok ? 'INTERNAL_SERVER_ERROR' : `HTTP_${response.status}`,
    errors,
    status: response?.status,
    field: typeof field === 'string' ? field : undefined,
    reason: typeof reason === 'string' ? reason : undefined,
    retryAfterSeconds: typeof retryAfter === 'number' ? retryAfter : response ? retryAfterHeader(response) : undefined,
    path: first.path,
    data: data ?? undefined,
  });
}

export function retryAfterHeader(response: ResponseHead): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** True for a SerenityError with this code, narrowing `error` (e.g. in a catch block). */
export function isSerenityError(error: unknown, code?: SerenityErrorCode): error is SerenityError {
  return error instanceof SerenityError && (code === undefined || error.code === code);
}
