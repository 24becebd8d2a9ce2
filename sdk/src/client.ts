/**
 * The client: one `request` for any typed document, plus helpers for the booking journey.
 *
 * Only `fetch` and `WebSocket` are used (Node ≥ 22, browsers, Deno, Bun, or the ones you
 * pass): no Node built-ins, so the same build runs everywhere. Subscriptions (live.ts, over
 * graphql-ws) share the token state below (`accessToken`, `refreshOnce`) with `request`.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { SerenityError, fromGraphQLErrors, retryAfterHeader, type GraphQLErrorEntry } from './errors.js';
import { createLiveTransport, type LiveOptions, type LiveStatus, type LiveStatusEvent, type LiveSubscription, type LiveTransport } from './live.js';
import {
  BookConsultationDocument,
  CancelConsultationDocument,
  ConsultantScheduleDocument,
  ConsultationUpdatedDocument,
  CreditBalanceChangedDocument,
  NotificationReceivedDocument,
  LoginDocument,
  LogoutDocument,
  OpenSlotsDocument,
  PackageDocument,
  PackagesDocument,
  PurchaseDocument,
  PurchasePackageDocument,
  RefreshTokenDocument,
  type BookConsultationInput,
  type CancelConsultationMutation,
  type ConsultantScheduleSubscription,
  type ConsultationFieldsFragment,
  type CreditBalanceFieldsFragment,
  type NotificationFieldsFragment,
  type OpenSlotsInput,
  type OpenSlotsQuery,
  type PackageFieldsFragment,
  type PurchaseFieldsFragment,
  type PurchasePackageInput,
  type SessionFieldsFragment,
} from './generated/graphql.js';

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
/** A package purchase (its clientSecret confirms the card payment with Stripe). */
export type Purchase = PurchaseFieldsFragment;
/** A change of a consultant's time: its kind, when, the consultation, and for a reschedule previousStart. */
export type ScheduleUpdate = ConsultantScheduleSubscription['consultantSchedule'];
/** An organization's credits after a movement. */
export type CreditBalance = CreditBalanceFieldsFragment;
/** An in-app notification. */
export type InboxNotification = NotificationFieldsFragment;
export type { LiveOptions, LiveStatus, LiveStatusEvent, LiveSubscription } from './live.js';

/**
 * A typed operation: the SDK's generated documents, or yours from graphql-codegen's client
 * preset with `documentMode: 'string'` (see the README), or a plain string (untyped).
 */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

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

/** The tokens to keep between runs (e.g. in a database or secure storage). */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface SerenityClientOptions extends LiveOptions {
  /** The GraphQL endpoint, e.g. "https://api.example.com/graphql". */
  url: string;
  /** Sent as `Authorization: Bearer <accessToken>`; change it later with setAccessToken. */
  accessToken?: string | null | undefined;
  /** A refresh token kept from an earlier session: lets the client refresh on its own. */
  refreshToken?: string | null | undefined;
  /**
   * Called with the new session after login and every refresh (automatic or not), and with
   * null after logout or a refresh that failed: persist or clear the tokens here. Refresh
   * tokens rotate, so an old one stops working once a new one was issued.
   */
  onTokens?: ((session: Session | null) => void | Promise<void>) | undefined;
  /** On UNAUTHENTICATED, refresh once (shared by concurrent requests) and retry. Default true. */
  autoRefresh?: boolean | undefined;
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
/** The same for subscriptions (no per-call options). */
export type SubscribeArgs<TVariables> = Record<never, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface SerenityClient {
  /** Runs a typed document; resolves with its `data`, throws SerenityError otherwise. */
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: RequestArgs<TVariables>): Promise<TResult>;
  /**
   * Subscribes over graphql-ws (one WebSocket per client, opened at the first subscription):
   * an async iterator of the documents' `data`. It reconnects and resubscribes after a drop,
   * refreshes the token on 4401, and throws SerenityError (FORBIDDEN on 4403,
   * TOO_MANY_SUBSCRIPTIONS on 4429, UNAUTHENTICATED when no refresh helps, a GraphQL error's
   * code). `break` or `return()` ends the server's subscription at once.
   */
  subscribe<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: SubscribeArgs<TVariables>): LiveSubscription<TResult>;
  /** One consultation as it changes (with `id`), or every one the caller may see. */
  consultationUpdated(variables?: { id?: string | null | undefined }): LiveSubscription<ConsultationSummary>;
  /** Each change of a consultant's time (their own; admins any). */
  consultantSchedule(variables: { consultantId: string }): LiveSubscription<ScheduleUpdate>;
  /** The organization's credits after every movement; admins name the organization. */
  creditBalanceChanged(variables?: { organizationId?: string | null | undefined }): LiveSubscription<CreditBalance>;
  /** Your in-app notifications as they are created. */
  notificationReceived(): LiveSubscription<InboxNotification>;
  /** The live connection now: idle (no subscription), connecting, live or reconnecting. */
  readonly liveStatus: LiveStatus;
  /** Listens to the live connection's status (as the onLiveStatus option does); returns the unsubscribe. */
  onLiveStatus(listener: (event: LiveStatusEvent) => void): () => void;
  /** Closes the live connection (open iterators end); the client stays usable. */
  dispose(): Promise<void>;
  /** Sets (or with null clears) the bearer token for the following requests. */
  setAccessToken(token: string | null): void;
  /** The tokens the client holds now (after login, refresh or from the options), or null. */
  readonly tokens: Tokens | null;
  /** The last session login/refresh returned, or null. */
  readonly session: Session | null;
  /** Signs in; the client then sends the access token and keeps the refresh token. */
  login(email: string, password: string): Promise<Session>;
  /** Exchanges the refresh token for new tokens; concurrent calls share one exchange. */
  refresh(): Promise<Session>;
  /** Ends the session on the server, forgets the tokens and closes the live connection. */
  logout(): Promise<void>;
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
  /** Buys a package: confirm `clientSecret` with Stripe, then poll `purchase` until SUCCEEDED. */
  purchasePackage(input: PurchasePackageInput): Promise<Purchase>;
  /** One purchase; SerenityError NOT_FOUND when unknown. */
  purchase(id: string): Promise<Purchase>;
}

// Operations that must not trigger an automatic refresh (they are the session itself).
const NO_AUTO_REFRESH = new Set<string>([LoginDocument.toString(), RefreshTokenDocument.toString(), LogoutDocument.toString()]);

export function createSerenityClient(options: SerenityClientOptions): SerenityClient {
  const fetchImpl: FetchLike = options.fetch ?? globalFetch();
  const baseHeaders = { ...options.headers };
  const autoRefresh = options.autoRefresh ?? true;
  let accessToken = options.accessToken ?? null;
  let refreshToken = options.refreshToken ?? null;
  let session: Session | null = null;
  let refreshing: Promise<Session> | null = null;

  async function send<TResult>(query: string, variables: unknown, requestOptions: RequestOptions | undefined, token: string | null): Promise<TResult> {
    const headers: Record<string, string> = {
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...baseHeaders,
      ...requestOptions?.headers,
      'content-type': 'application/json',
    };
    if (token) {
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      headers['authorization'] = `Bearer ${token}`;
    }
    const body = JSON.stringify(variables === undefined ? { query } : { query, variables });

    let response: FetchResponseLike;
    try {
      response = await fetchImpl(options.url, { method: 'POST', headers, body, ...(requestOptions?.signal ? { signal: requestOptions.signal } : {}) });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new SerenityError(`Could not reach ${options.url}: ${error instanceof Error ? error.message : String(error)}`, { code: 'NETWORK_ERROR', cause: error });
    }
    const text = await response.text();
    const payload = parseJson(text);
    const errors = isObject(payload) ? payload['errors'] : undefined;
    const data = isObject(payload) ? payload['data'] : undefined;

    if (Array.isArray(errors) && errors.length > 0) throw fromGraphQLErrors(errors as GraphQLErrorEntry[], response, data);
    if (!response.ok) {
      const error = isObject(payload) ? payload['error'] : undefined;
      const detail = typeof error === 'string' ? error : text.trim().slice(0, 200) || response.statusText;
      throw new SerenityError(`HTTP ${response.status}${detail ? `: ${detail}` : ''}`, {
        code: `HTTP_${response.status}`,
        status: response.status,
        retryAfterSeconds: retryAfterHeader(response),
      });
    }
    if (!isObject(data)) throw new SerenityError('The server answered without GraphQL data.', { code: 'INVALID_RESPONSE', status: response.status });
    return data as TResult;
  }

  async function adopt(next: Session | null): Promise<void> {
    session = next;
    accessToken = next?.accessToken ?? null;
    refreshToken = next?.refreshToken ?? null;
    await options.onTokens?.(next);
  }

  /** One refresh at a time: every request that hit UNAUTHENTICATED meanwhile waits for it. */
  function refreshOnce(): Promise<Session> {
    refreshing ??= (async () => {
      const token = refreshToken;
      if (!token) throw new SerenityError('No refresh token: sign in first.', { code: 'UNAUTHENTICATED' });
      try {
        const data = await send<{ refreshToken: Session }>(RefreshTokenDocument.toString(), { refreshToken: token }, undefined, null);
        await adopt(data.refreshToken);
        return data.refreshToken;
      } catch (error) {
        // A refresh token the server refused is spent: forget it, sign in again.
        if (error instanceof SerenityError && error.code === 'UNAUTHENTICATED') await adopt(null);
        throw error;
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...[variables, requestOptions]: RequestArgs<TVariables>): Promise<TResult> {
    const query = document.toString();
    const token = accessToken;
    try {
      return await send<TResult>(query, variables, requestOptions, token);
    } catch (error) {
      if (!(error instanceof SerenityError) || error.code !== 'UNAUTHENTICATED' || !autoRefresh || NO_AUTO_REFRESH.has(query)) throw error;
      // Another request may have refreshed while this one was in flight: use its token.
      if (accessToken === token) {
        if (!refreshToken && !refreshing) throw error;
        await refreshOnce();
      }
      return send<TResult>(query, variables, requestOptions, accessToken);
    }
  }

  const live: LiveTransport = createLiveTransport(options.url, options, {
    accessToken: () => accessToken,
    async reauthenticate(stale) {
      // The HTTP side (or another subscription) refreshed meanwhile: just use its token.
      if (accessToken && accessToken !== stale) return;
      if (!autoRefresh || (!refreshToken && !refreshing)) {
        throw new SerenityError(accessToken ? 'The live connection refused the access token.' : 'Sign in first: subscriptions need an access token.', { code: 'UNAUTHENTICATED', closeCode: 4401 });
      }
      await refreshOnce();
    },
  });
  const subscribe = <TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...[variables]: SubscribeArgs<TVariables>): LiveSubscription<TResult> =>
    live.subscribe(document.toString(), variables, (data) => data as TResult);

  return {
    request,
    subscribe,
    consultationUpdated(variables) {
      return live.subscribe(ConsultationUpdatedDocument.toString(), variables?.id == null ? {} : { id: variables.id }, (data) => (data as { consultationUpdated: ConsultationSummary }).consultationUpdated);
    },
    consultantSchedule(variables) {
      return live.subscribe(ConsultantScheduleDocument.toString(), { consultantId: variables.consultantId }, (data) => (data as ConsultantScheduleSubscription).consultantSchedule);
    },
    creditBalanceChanged(variables) {
      return live.subscribe(CreditBalanceChangedDocument.toString(), variables?.organizationId == null ? {} : { organizationId: variables.organizationId }, (data) => (data as { creditBalanceChanged: CreditBalance }).creditBalanceChanged);
    },
    notificationReceived() {
      return live.subscribe(NotificationReceivedDocument.toString(), undefined, (data) => (data as { notificationReceived: InboxNotification }).notificationReceived);
    },
    get liveStatus() {
      return live.status;
    },
    onLiveStatus: (listener) => live.onStatus(listener),
    dispose: () => live.dispose(),
    setAccessToken(token) {
      accessToken = token;
    },
    get tokens() {
      return accessToken && refreshToken ? { accessToken, refreshToken } : null;
    },
    get session() {
      return session;
    },
    async login(email, password) {
      const { login } = await request(LoginDocument, { email, password });
      await adopt(login);
      return login;
    },
    refresh: refreshOnce,
    async logout() {
      try {
        if (accessToken) await request(LogoutDocument);
      } finally {
        await live.dispose();
        await adopt(null);
      }
    },
    async packages(includeInactive) {
      return (await request(PackagesDocument, includeInactive === undefined ? {} : { includeInactive })).packages;
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
    async purchasePackage(input) {
      return (await request(PurchasePackageDocument, { input })).purchasePackage;
    },
    async purchase(id) {
      const data = await request(PurchaseDocument, { id });
      if (!data.purchase) throw new SerenityError(`Purchase "${id}" was not found.`, { code: 'NOT_FOUND', field: 'id' });
      return data.purchase;
    },
  };
}

function globalFetch(): FetchLike {
  const { fetch } = globalThis as { fetch?: FetchLike };
  if (typeof fetch !== 'function') throw new TypeError('No global fetch: pass `fetch` to createSerenityClient (Node ≥ 18 has one).');
  // Called through globalThis: some browsers reject a detached fetch ("Illegal invocation").
  return (url, init) => fetch.call(globalThis, url, init);
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
  return isObject(error) && (error['name'] === 'AbortError' || error['name'] === 'TimeoutError');
}
