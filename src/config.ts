import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every setting the API reads, validated once at start-up. */
export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  isProduction: boolean;
  host: string;
  port: number;
  /** Express "trust proxy": which proxies' X-Forwarded-For to believe for the client IP. */
  trustProxy: string;
  dataDir: string;
  /** Unset: an embedded PostgreSQL under dataDir is started. */
  databaseUrl: string | undefined;
  /** DATABASE_POOL_MAX: connections of this process's ORM pool (its other connections: src/platform/jobs.ts, live.ts). */
  databasePoolMax: number;
  /** MIGRATE_ON_START (default true): apply pending migrations at start; false: refuse to start while any is pending (a separate `npm run migrate` step applies them). */
  migrateOnStart: boolean;
  publicUrl: string;
  jwtSecret: string;
  /** Where the JWT secret came from, so start-up can say it without printing it. */
  jwtSecretSource: 'env' | 'generated' | 'file';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logPretty: boolean;
  seed: boolean;
  bodyLimitBytes: number;
  graphql: {
    maxDepth: number;
    /** Highest estimated cost of one operation (see src/platform/graphql-limits.ts). */
    maxComplexity: number;
    /** Aliases per operation (fragments included). */
    maxAliases: number;
    /** Fields at the top level of one operation (aliases and fragments included). */
    maxRootFields: number;
    /** Searches (openSlots, openDates, consultants by open time) per caller per minute; each aliased field counts. */
    searchLimitPerMinute: number;
    ide: boolean;
    introspection: boolean;
  };
  /** Live status over graphql-ws: caps (close 4429 past them) and how often each connection's sign-in is checked again. */
  live: {
    maxSubscriptionsPerConnection: number;
    maxConnectionsPerUser: number;
    recheckMs: number;
    /** WebSocket ping interval; a connection that misses one ping's answer is closed at the next. */
    pingMs: number;
  };
  /** Origins browsers may call the API from ('*': any, never in production; []: none). */
  corsOrigins: '*' | string[];
  /** Sites that may frame the booking widget (its frame-ancestors; '*': any, never in production; []: none). */
  widgetEmbedOrigins: '*' | string[];
  /** Bearer token /metrics requires; unset: open outside production, refused in production. */
  metricsToken: string | undefined;
  jobs: {
    processEveryMs: number;
    /** JOBS=on (default): this process runs the background jobs (the notification dispatcher among them); off: it serves HTTP only. */
    enabled: boolean;
  };
  notifications: {
    /** How long a sender's claim on a delivery lasts; a delivery of a crashed sender is sent again after it. */
    leaseMs: number;
  };
  /** Meeting links (src/meetings): the platform's default provider and the key-free providers' settings. */
  meetings: {
    /** MEETING_PROVIDER: the provider of a booking that names none. */
    defaultProvider: 'JITSI' | 'PHONE' | 'ZOOM' | 'TEAMS' | 'GOOGLE_MEET';
    /** JITSI_BASE_URL: the Jitsi host rooms are made on (no trailing slash). */
    jitsiBaseUrl: string;
    /** MEETING_PHONE_NUMBER: the business number PHONE meetings call when the consultant has no phone; null: none. */
    phoneNumber: string | null;
    /** MEETING_HTTP_TIMEOUT_MS: how long one provider call may take before it counts as failed (and is retried). */
    httpTimeoutMs: number;
    /** MEETING_LINK_WAIT_SECONDS: how long a booking's confirmation (or a move's message) waits for its meeting link while it is being made, before it goes saying the link follows. */
    linkWaitSeconds: number;
    /** Zoom (Server-to-Server OAuth app); null unless ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are set. */
    zoom: ZoomSettings | null;
    /** ZOOM_WEBHOOK_SECRET_TOKEN: the Zoom app's secret token, which signs POST /webhooks/zoom; null: that route answers 404. */
    zoomWebhookSecret: string | null;
    /** Microsoft Teams (an Entra app with OnlineMeetings.ReadWrite.All); null unless TEAMS_TENANT_ID, TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET are set. */
    teams: TeamsSettings | null;
    /** Google Meet (a service account's key, domain-wide delegation); null unless GOOGLE_SERVICE_ACCOUNT_JSON is set. */
    google: GoogleMeetSettings | null;
    /** The providers that cannot be used, each with the settings that would make it usable (a booking naming one is refused). */
    unconfigured: Partial<Record<'JITSI' | 'PHONE' | 'ZOOM' | 'TEAMS' | 'GOOGLE_MEET', string>>;
  };
  mail: {
    /** SMTP server (smtp:// or smtps://); unset outside production: an in-process capture (GET /dev/mail). */
    smtpUrl: string | undefined;
    from: string;
  };
  auth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    /** Failed logins for one email within the window before it is locked for the window. */
    loginMaxFailures: number;
    loginWindowMinutes: number;
    /** Auth mutations (each aliased field counts) per client IP per minute. */
    ipLimitPerMinute: number;
  };
  shutdownTimeoutMs: number;
  /** stripe: Stripe itself (the keys below); local: an in-process Stripe simulator (never in production); off: no payments. */
  paymentsMode: 'stripe' | 'local' | 'off';
  stripe: {
    /** Unset: payments answer that they are not configured; everything else works. */
    secretKey: string | undefined;
    webhookSecret: string | undefined;
    /** Where the Stripe API is (a local test double in tests); unset: Stripe itself. */
    apiUrl: string | undefined;
    /** pk_test_…/pk_live_…: the booking widget's card field (Stripe.js); null: the widget takes no card. */
    publishableKey: string | null;
    /** How old a signed webhook may be, in seconds. */
    webhookToleranceSeconds: number;
    /** A booking-fee hold not paid within this many minutes lapses (EXPIRED) and frees the slot. */
    bookingHoldMinutes: number;
    /** The platform's booking fee (minor units) for consultants without their own; unset: none. */
    bookingFee: { amount: number; currency: string } | null;
  };
  /** Who sells: printed on every invoice and credit note (copied onto each when it is issued). */
  seller: SellerDetails;
  /** NODE_ENV=test only: the crash test stops webhook processing inside its transaction. */
  testPauseWebhookBeforeCommit: boolean;
  /** NODE_ENV=test only: the dispatcher stops after the SMTP server accepted a message and before marking it SENT (the worker crash test). */
  testPauseDispatchBeforeMark: boolean;
  /**
   * NODE_ENV=test only: the dispatcher sends a plain message naming the kind (and asks no
   * consultation whether it still makes sense), for the delivery-mechanics tests whose
   * deliveries have no consultation behind them.
   */
  testPlainMessages: boolean;
}

/** The platform's own details as a seller (SELLER_* settings). */
export interface SellerDetails {
  legalName: string;
  /** Several lines, as printed. */
  address: string;
  /** VAT or other tax id; null: none printed. */
  taxId: string | null;
  email: string;
}

export interface ConfigIssue {
  variable: string;
  detail: string;
}

/** Every invalid setting of one start, one line each ("Invalid setting PORT: …"), so one run shows them all. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(variableOrIssues: string | readonly ConfigIssue[], detail = '') {
    const issues = typeof variableOrIssues === 'string' ? [{ variable: variableOrIssues, detail }] : variableOrIssues;
    super(issues.map((i) => `Invalid setting ${i.variable}: ${i.detail}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** The first invalid setting. */
  get variable(): string {
    return this.issues[0]!.variable;
  }
}

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

const postgresUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
    } catch {
      return false;
    }
  },
  { error: 'must be a URL like postgres://user:password@host:5432/database' },
);

const httpUrl = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { error: 'must be an http(s) URL such as https://api.example.com' },
);

/** Accepts "1048576", "512kb", "1mb". */
const byteSize = z
  .string()
  .regex(/^\d+\s*(b|kb|mb)?$/i, { error: 'must be a size such as 1mb, 512kb or 1048576' })
  .transform((value) => {
    const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value)!;
    const unit = (match[2] ?? 'b').toLowerCase();
    return Number(match[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  });

/** "*" or a comma-separated list of origins, each as a browser sends it (https://app.example.com:8443). */
const originList = z.string().transform((value, ctx): '*' | string[] => {
  if (value.trim() === '*') return '*';
  const origins: string[] = [];
  for (const entry of value.split(',').map((v) => v.trim())) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    // An origin is scheme, host and port only: a path (other than "/") would never match a browser's Origin.
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.hash || url.username) {
      ctx.addIssue({ code: 'custom', message: `must be * or a comma-separated list of origins such as http://localhost:3000,https://app.example.com ("${entry}" is not one)` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: integer(0, 65535).default(4000),
  TRUST_PROXY: z.string().min(1).default('loopback'),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: integer(1, 1000).default(10),
  MIGRATE_ON_START: boolean.default(true),
  PUBLIC_URL: httpUrl.optional(),
  JWT_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: boolean.optional(),
  SEED: boolean.default(true),
  BODY_LIMIT: byteSize.default(1024 * 1024),
  GRAPHQL_MAX_DEPTH: integer(2, 100).default(12),
  GRAPHQL_MAX_COMPLEXITY: integer(10, 1_000_000).default(5000),
  GRAPHQL_MAX_ALIASES: integer(0, 1000).default(15),
  GRAPHQL_MAX_ROOT_FIELDS: integer(1, 1000).default(10),
  GRAPHQL_SEARCH_LIMIT_PER_MINUTE: integer(1, 1_000_000).default(60),
  GRAPHQL_IDE: boolean.optional(),
  LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: integer(1, 10_000).default(20),
  LIVE_MAX_CONNECTIONS_PER_USER: integer(1, 10_000).default(10),
  LIVE_RECHECK_MS: integer(100, 3_600_000).default(30_000),
  LIVE_PING_MS: integer(100, 600_000).default(30_000),
  CORS_ORIGINS: originList.optional(),
  WIDGET_EMBED_ORIGINS: originList.optional(),
  METRICS_TOKEN: z.string().regex(/^[\x21-\x7e]{16,256}$/, { error: 'must be 16 to 256 printable characters without spaces (e.g. openssl rand -hex 32)' }).optional(),
  JOBS: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  JOBS_PROCESS_EVERY_MS: integer(100, 3_600_000).default(5000),
  NOTIFICATION_LEASE_SECONDS: integer(1, 3600).default(60),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(15_000),
  MEETING_PROVIDER: z.enum(['JITSI', 'PHONE', 'ZOOM', 'TEAMS', 'GOOGLE_MEET'], { error: 'must be JITSI, PHONE, ZOOM, TEAMS or GOOGLE_MEET' }).default('JITSI'),
  JITSI_BASE_URL: httpUrl.default('https://meet.jit.si'),
  MEETING_PHONE_NUMBER: z.string().trim().regex(/^\+?[0-9][0-9 ()./-]{4,30}$/, { error: 'must be a phone number such as +44 20 7946 0000' }).optional(),
  MEETING_HTTP_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  MEETING_LINK_WAIT_SECONDS: integer(0, 900).default(90),
  ZOOM_ACCOUNT_ID: z.string().trim().min(1).max(200).optional(),
  ZOOM_CLIENT_ID: z.string().trim().min(1).max(200).optional(),
  ZOOM_CLIENT_SECRET: z.string().trim().min(1).max(500).optional(),
  ZOOM_HOST_USER: z.string().trim().min(1).max(320).optional(),
  ZOOM_WAITING_ROOM: boolean.default(true),
  ZOOM_AUTO_RECORDING: z.enum(['none', 'local', 'cloud'], { error: 'must be none, local or cloud' }).default('none'),
  ZOOM_WEBHOOK_SECRET_TOKEN: z.string().trim().min(8).max(500).optional(),
  ZOOM_API_URL: httpUrl.default('https://api.zoom.us/v2'),
  ZOOM_OAUTH_URL: httpUrl.default('https://zoom.us/oauth/token'),
  TEAMS_TENANT_ID: z.string().trim().min(1).max(200).optional(),
  TEAMS_CLIENT_ID: z.string().trim().min(1).max(200).optional(),
  TEAMS_CLIENT_SECRET: z.string().trim().min(1).max(500).optional(),
  TEAMS_ORGANIZER: z.string().trim().min(1).max(320).optional(),
  MICROSOFT_GRAPH_URL: httpUrl.default('https://graph.microsoft.com/v1.0'),
  MICROSOFT_LOGIN_URL: httpUrl.default('https://login.microsoftonline.com'),
  GOOGLE_SERVICE_ACCOUNT_JSON: z
    .string()
    .transform((value, ctx) => {
      try {
        const key = JSON.parse(value) as { client_email?: unknown; private_key?: unknown; token_uri?: unknown };
        if (typeof key.client_email === 'string' && typeof key.private_key === 'string') {
          return { clientEmail: key.client_email, privateKey: key.private_key, tokenUri: typeof key.token_uri === 'string' ? key.token_uri : null };
        }
      } catch {
        // Reported below, like a key without its fields.
      }
      ctx.addIssue({ code: 'custom', message: "must be the service account's JSON key (with client_email and private_key), on one line" });
      return z.NEVER;
    })
    .optional(),
  GOOGLE_CALENDAR_ID: z.string().trim().min(1).max(320).default('primary'),
  GOOGLE_IMPERSONATE_USER: z.email({ error: 'must be the email of the Workspace user whose calendar holds the meetings' }).optional(),
  GOOGLE_CALENDAR_API_URL: httpUrl.default('https://www.googleapis.com/calendar/v3'),
  GOOGLE_TOKEN_URL: httpUrl.optional(),
  SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\/[^/]+/.test(v), { error: 'must be a URL like smtp://user:password@smtp.example.com:587' })
    .optional(),
  MAIL_FROM: z.string().min(3).default('Serenity <no-reply@serenity.local>'),
  ACCESS_TOKEN_TTL_SECONDS: integer(60, 86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: integer(1, 365).default(30),
  AUTH_LOGIN_MAX_FAILURES: integer(1, 1000).default(5),
  AUTH_LOGIN_WINDOW_MINUTES: integer(1, 1440).default(15),
  AUTH_IP_LIMIT_PER_MINUTE: integer(1, 100_000).default(30),
  PAYMENTS_MODE: z.enum(['stripe', 'local', 'off'], { error: 'must be stripe, local or off' }).optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, { error: 'must be a Stripe secret key (sk_test_…, sk_live_…, or a restricted rk_… key)' })
    .optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, { error: 'must be the signing secret of the webhook endpoint (whsec_…)' }).optional(),
  STRIPE_API_URL: httpUrl.optional(),
  STRIPE_PUBLISHABLE_KEY: z.string().regex(/^pk_(test|live)_\w+$/, { error: 'must be a Stripe publishable key (pk_test_… or pk_live_…)' }).optional(),
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: integer(1, 3600).default(300),
  BOOKING_HOLD_MINUTES: integer(1, 1440).default(15),
  BOOKING_FEE_AMOUNT: integer(50, 10_000_000).optional(),
  BOOKING_FEE_CURRENCY: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code such as USD' }).default('USD'),
  SELLER_LEGAL_NAME: z.string().trim().min(1).max(200, { error: 'must be at most 200 characters' }).default('Serenity Consulting Ltd'),
  // "\n" in the value separates the printed lines (an .env file keeps one line per setting).
  SELLER_ADDRESS: z.string().trim().min(1).max(500, { error: 'must be at most 500 characters' }).default('1 Example Street\\nLondon EC1A 1AA\\nUnited Kingdom'),
  SELLER_TAX_ID: z.string().trim().max(50, { error: 'must be at most 50 characters' }).optional(),
  SELLER_EMAIL: z.email({ error: 'must be an email address such as billing@example.com' }).default('billing@serenity.local'),
  TEST_PAUSE_WEBHOOK_BEFORE_COMMIT: boolean.default(false),
  TEST_PAUSE_DISPATCH_BEFORE_MARK: boolean.default(false),
  TEST_PLAIN_MESSAGES: boolean.default(false),
});

export interface ZoomSettings {
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** ZOOM_HOST_USER: the Zoom user (email or id) who hosts when the consultant's email is not a Zoom user of the account; null: none. */
  fallbackHost: string | null;
  waitingRoom: boolean;
  autoRecording: 'none' | 'local' | 'cloud';
  /** ZOOM_API_URL, ZOOM_OAUTH_URL (a test points them at a local double). */
  apiUrl: string;
  oauthUrl: string;
}

export interface TeamsSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** TEAMS_ORGANIZER: the user (UPN or id) who organizes when the consultant's email is not a user of the tenant; null: none. */
  fallbackOrganizer: string | null;
  graphUrl: string;
  loginUrl: string;
}

export interface GoogleMeetSettings {
  clientEmail: string;
  privateKey: string;
  /** The token endpoint: GOOGLE_TOKEN_URL, else the key's token_uri, else Google's. */
  tokenUrl: string;
  /** GOOGLE_CALENDAR_ID: the calendar the events go in, of the impersonated user ('primary'). */
  calendarId: string;
  /** GOOGLE_IMPERSONATE_USER: the Workspace user acted as; null: the consultant's own email. */
  impersonate: string | null;
  calendarApiUrl: string;
}

/** What a booking naming an unusable provider is told to set. */
const PROVIDER_SETTINGS = {
  ZOOM: 'ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET (a Zoom Server-to-Server OAuth app), or choose another provider',
  TEAMS: 'TEAMS_TENANT_ID, TEAMS_CLIENT_ID and TEAMS_CLIENT_SECRET (an Entra app with OnlineMeetings.ReadWrite.All), or choose another provider',
  GOOGLE_MEET: "GOOGLE_SERVICE_ACCOUNT_JSON (a service account's key with domain-wide delegation for the Calendar API), or choose another provider",
} as const;

type Env = Record<string, string | undefined>;

/** Settings whose values are never repeated in a message: they carry passwords or keys. */
const SECRET_SETTINGS = new Set([
  'JWT_SECRET',
  'DATABASE_URL',
  'SMTP_URL',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'METRICS_TOKEN',
  'ZOOM_CLIENT_SECRET',
  'ZOOM_WEBHOOK_SECRET_TOKEN',
  'TEAMS_CLIENT_SECRET',
  'GOOGLE_SERVICE_ACCOUNT_JSON',
]);
/** Every setting the code reads, in the order of the schema (.env.example and the README list them all: a test holds it). */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);
const SETTING_ORDER = SETTING_NAMES;

/** Reads and validates the environment; throws one ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  // Empty values count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  const issues: ConfigIssue[] = [];
  for (const issue of parsed.error?.issues ?? []) {
    const variable = String(issue.path[0] ?? 'environment');
    const got = cleaned[variable];
    const shown = SECRET_SETTINGS.has(variable) || got === undefined ? '' : ` (got "${got}")`;
    if (!issues.some((i) => i.variable === variable)) issues.push({ variable, detail: `${issue.message}${shown}` });
  }
  // Rules across settings, read from the raw values so they are reported with the rest.
  const isProduction = cleaned.NODE_ENV === 'production';
  const required = (variable: string, why: string) => {
    if (!cleaned[variable] && !issues.some((i) => i.variable === variable)) issues.push({ variable, detail: `is required when NODE_ENV=production (${why})` });
  };
  if (isProduction) {
    required('JWT_SECRET', 'at least 32 random characters');
    // Invoices are issued once and never change: production prints its real seller, not the example one.
    if (cleaned.PAYMENTS_MODE === 'stripe' || (!cleaned.PAYMENTS_MODE && (cleaned.STRIPE_SECRET_KEY || cleaned.STRIPE_WEBHOOK_SECRET))) {
      required('SELLER_LEGAL_NAME', 'printed on every invoice');
      required('SELLER_ADDRESS', 'printed on every invoice');
    }
    required('SMTP_URL', 'verification and reset emails must reach people');
    required('DATABASE_URL', 'the embedded PostgreSQL is for development only: point this at your PostgreSQL, e.g. postgres://user:password@host:5432/serenity');
  }
  for (const variable of ['TEST_PAUSE_WEBHOOK_BEFORE_COMMIT', 'TEST_PAUSE_DISPATCH_BEFORE_MARK', 'TEST_PLAIN_MESSAGES']) {
    if (['true', '1', 'yes'].includes(cleaned[variable] ?? '') && cleaned.NODE_ENV !== 'test') {
      issues.push({ variable, detail: 'is a test switch: it is allowed only with NODE_ENV=test' });
    }
  }
  if (isProduction && cleaned.CORS_ORIGINS?.trim() === '*') {
    issues.push({ variable: 'CORS_ORIGINS', detail: '* (any origin) is not allowed when NODE_ENV=production: list the origins of your web apps' });
  }
  if (isProduction && cleaned.WIDGET_EMBED_ORIGINS?.trim() === '*') {
    issues.push({ variable: 'WIDGET_EMBED_ORIGINS', detail: '* (any site) is not allowed when NODE_ENV=production: list the partner sites that embed the booking widget' });
  }
  if (issues.length > 0 || !parsed.success) {
    const rank = (variable: string) => (SETTING_ORDER.includes(variable) ? SETTING_ORDER.indexOf(variable) : SETTING_ORDER.length);
    throw new ConfigError(issues.sort((a, b) => rank(a.variable) - rank(b.variable)));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const { secret, source } = resolveJwtSecret(e.JWT_SECRET, dataDir);
  const paymentsMode = resolvePaymentsMode(e, isProduction);
  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    trustProxy: e.TRUST_PROXY,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databasePoolMax: e.DATABASE_POOL_MAX,
    migrateOnStart: e.MIGRATE_ON_START,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    jwtSecret: secret,
    jwtSecretSource: source,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY ?? (!isProduction && Boolean(process.stdout.isTTY)),
    seed: e.SEED,
    bodyLimitBytes: e.BODY_LIMIT,
    graphql: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxComplexity: e.GRAPHQL_MAX_COMPLEXITY,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxRootFields: e.GRAPHQL_MAX_ROOT_FIELDS,
      searchLimitPerMinute: e.GRAPHQL_SEARCH_LIMIT_PER_MINUTE,
      ide: e.GRAPHQL_IDE ?? !isProduction,
      introspection: !isProduction,
    },
    live: {
      maxSubscriptionsPerConnection: e.LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxConnectionsPerUser: e.LIVE_MAX_CONNECTIONS_PER_USER,
      recheckMs: e.LIVE_RECHECK_MS,
      pingMs: e.LIVE_PING_MS,
    },
    // Outside production any origin may call (npm start + a dev server on another port just works).
    corsOrigins: e.CORS_ORIGINS ?? (isProduction ? [] : '*'),
    // Any site may frame the widget outside production (a partner's dev server just works).
    widgetEmbedOrigins: e.WIDGET_EMBED_ORIGINS ?? (isProduction ? [] : '*'),
    metricsToken: e.METRICS_TOKEN,
    jobs: { processEveryMs: e.JOBS_PROCESS_EVERY_MS, enabled: e.JOBS === 'on' },
    notifications: { leaseMs: e.NOTIFICATION_LEASE_SECONDS * 1000 },
    meetings: {
      defaultProvider: e.MEETING_PROVIDER,
      jitsiBaseUrl: e.JITSI_BASE_URL.replace(/\/+$/, ''),
      phoneNumber: e.MEETING_PHONE_NUMBER ?? null,
      httpTimeoutMs: e.MEETING_HTTP_TIMEOUT_MS,
      linkWaitSeconds: e.MEETING_LINK_WAIT_SECONDS,
      zoom:
        e.ZOOM_ACCOUNT_ID && e.ZOOM_CLIENT_ID && e.ZOOM_CLIENT_SECRET
          ? {
              accountId: e.ZOOM_ACCOUNT_ID,
              clientId: e.ZOOM_CLIENT_ID,
              clientSecret: e.ZOOM_CLIENT_SECRET,
              fallbackHost: e.ZOOM_HOST_USER ?? null,
              waitingRoom: e.ZOOM_WAITING_ROOM,
              autoRecording: e.ZOOM_AUTO_RECORDING,
              apiUrl: e.ZOOM_API_URL.replace(/\/+$/, ''),
              oauthUrl: e.ZOOM_OAUTH_URL,
            }
          : null,
      zoomWebhookSecret: e.ZOOM_WEBHOOK_SECRET_TOKEN ?? null,
      teams:
        e.TEAMS_TENANT_ID && e.TEAMS_CLIENT_ID && e.TEAMS_CLIENT_SECRET
          ? {
              tenantId: e.TEAMS_TENANT_ID,
              clientId: e.TEAMS_CLIENT_ID,
              clientSecret: e.TEAMS_CLIENT_SECRET,
              fallbackOrganizer: e.TEAMS_ORGANIZER ?? null,
              graphUrl: e.MICROSOFT_GRAPH_URL.replace(/\/+$/, ''),
              loginUrl: e.MICROSOFT_LOGIN_URL.replace(/\/+$/, ''),
            }
          : null,
      google: e.GOOGLE_SERVICE_ACCOUNT_JSON
        ? {
            clientEmail: e.GOOGLE_SERVICE_ACCOUNT_JSON.clientEmail,
            privateKey: e.GOOGLE_SERVICE_ACCOUNT_JSON.privateKey,
            tokenUrl: e.GOOGLE_TOKEN_URL ?? e.GOOGLE_SERVICE_ACCOUNT_JSON.tokenUri ?? 'https://oauth2.googleapis.com/token',
            calendarId: e.GOOGLE_CALENDAR_ID,
            impersonate: e.GOOGLE_IMPERSONATE_USER ?? null,
            calendarApiUrl: e.GOOGLE_CALENDAR_API_URL.replace(/\/+$/, ''),
          }
        : null,
      unconfigured: {
        ...(e.ZOOM_ACCOUNT_ID && e.ZOOM_CLIENT_ID && e.ZOOM_CLIENT_SECRET ? {} : { ZOOM: PROVIDER_SETTINGS.ZOOM }),
        ...(e.TEAMS_TENANT_ID && e.TEAMS_CLIENT_ID && e.TEAMS_CLIENT_SECRET ? {} : { TEAMS: PROVIDER_SETTINGS.TEAMS }),
        ...(e.GOOGLE_SERVICE_ACCOUNT_JSON ? {} : { GOOGLE_MEET: PROVIDER_SETTINGS.GOOGLE_MEET }),
      },
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    auth: {
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      loginMaxFailures: e.AUTH_LOGIN_MAX_FAILURES,
      loginWindowMinutes: e.AUTH_LOGIN_WINDOW_MINUTES,
      ipLimitPerMinute: e.AUTH_IP_LIMIT_PER_MINUTE,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    paymentsMode,
    stripe: {
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET,
      apiUrl: e.STRIPE_API_URL,
      publishableKey: e.STRIPE_PUBLISHABLE_KEY ?? null,
      webhookToleranceSeconds: e.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      bookingHoldMinutes: e.BOOKING_HOLD_MINUTES,
      bookingFee: e.BOOKING_FEE_AMOUNT === undefined ? null : { amount: e.BOOKING_FEE_AMOUNT, currency: e.BOOKING_FEE_CURRENCY },
    },
    seller: {
      legalName: e.SELLER_LEGAL_NAME,
      address: e.SELLER_ADDRESS.replaceAll('\\n', '\n'),
      taxId: e.SELLER_TAX_ID ?? null,
      email: e.SELLER_EMAIL,
    },
    testPauseWebhookBeforeCommit: e.TEST_PAUSE_WEBHOOK_BEFORE_COMMIT,
    testPauseDispatchBeforeMark: e.TEST_PAUSE_DISPATCH_BEFORE_MARK,
    testPlainMessages: e.TEST_PLAIN_MESSAGES,
  };
}

/** With Stripe keys: stripe (and then both are needed); without: the simulator outside production, else off. */
function resolvePaymentsMode(e: z.infer<typeof schema>, isProduction: boolean): Config['paymentsMode'] {
  const mode = e.PAYMENTS_MODE ?? (e.STRIPE_SECRET_KEY || e.STRIPE_WEBHOOK_SECRET ? 'stripe' : isProduction ? 'off' : 'local');
  if (mode === 'local' && isProduction) {
    throw new ConfigError('PAYMENTS_MODE', 'local (simulated Stripe, for development) is not allowed with NODE_ENV=production: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or PAYMENTS_MODE=off');
  }
  if (mode === 'stripe') {
    for (const variable of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
      if (!e[variable]) throw new ConfigError(variable, 'is required when PAYMENTS_MODE=stripe (the mode once a Stripe key is set; PAYMENTS_MODE=local simulates Stripe outside production)');
    }
    // A test publishable key with a live secret key (or the reverse) makes every card payment fail.
    const live = (key: string) => key.split('_')[1] === 'live';
    const publishable = e.STRIPE_PUBLISHABLE_KEY;
    if (publishable && live(publishable) !== live(e.STRIPE_SECRET_KEY!)) {
      const [pk, sk] = live(publishable) ? ['live', 'test'] : ['test', 'live'];
      throw new ConfigError('STRIPE_PUBLISHABLE_KEY', `is a ${pk} key but STRIPE_SECRET_KEY is a ${sk} one: use the pair of the same Stripe mode`);
    }
  }
  return mode;
}

/**
 * Production must be given JWT_SECRET (see loadConfig); elsewhere one is generated once into DATA_DIR so
 * tokens survive restarts without anyone having to invent a secret.
 */
function resolveJwtSecret(fromEnv: string | undefined, dataDir: string): { secret: string; source: Config['jwtSecretSource'] } {
  if (fromEnv) return { secret: fromEnv, source: 'env' };
  const file = path.join(dataDir, 'jwt-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return { secret, source: 'file' };
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: 'generated' };
}

/** Node ≥ 22.17 is needed by MikroORM 7's migrator (node:fs globSync). */
export function assertNodeVersion(version = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 17)) {
    throw new ConfigError(
      'node',
      `Serenity needs Node.js >= 22.17, this is ${version}. Run it through npm (npm start / npm test), which uses the Node 24 installed by npm ci.`,
    );
  }
}
