import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNodeVersion, ConfigError, loadConfig } from '../src/config.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-config-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(4000);
    expect(config.nodeEnv).toBe('development');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.seed).toBe(true);
    expect(config.logLevel).toBe('info');
    expect(config.graphql.ide).toBe(true);
    expect(config.graphql.introspection).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://user@host/db'],
    ['DATABASE_URL', 'postgres://host-without-database'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['LOG_LEVEL', 'loud'],
    ['SEED', 'maybe'],
    ['BODY_LIMIT', 'huge'],
    ['GRAPHQL_MAX_DEPTH', '1'],
    ['GRAPHQL_MAX_COMPLEXITY', 'lots'],
    ['GRAPHQL_MAX_ALIASES', '-1'],
    ['GRAPHQL_MAX_ALIASES', '1001'],
    ['GRAPHQL_MAX_ROOT_FIELDS', '0'],
    ['GRAPHQL_SEARCH_LIMIT_PER_MINUTE', '0'],
    ['GRAPHQL_SEARCH_LIMIT_PER_MINUTE', '1.5'],
    ['NODE_ENV', 'staging'],
    ['STRIPE_SECRET_KEY', 'pk_test_publishable'],
    ['STRIPE_WEBHOOK_SECRET', 'secret'],
    ['STRIPE_API_URL', 'stripe.local'],
    ['STRIPE_PUBLISHABLE_KEY', 'sk_test_secret_by_mistake'],
    ['STRIPE_WEBHOOK_TOLERANCE_SECONDS', '0'],
    ['TEST_PAUSE_WEBHOOK_BEFORE_COMMIT', 'true'],
    ['TEST_PAUSE_DISPATCH_BEFORE_MARK', 'true'],
    ['TEST_PLAIN_MESSAGES', 'true'],
    ['JOBS', 'maybe'],
    ['NOTIFICATION_LEASE_SECONDS', '0'],
    ['BOOKING_FEE_AMOUNT', '10'],
    ['BOOKING_FEE_CURRENCY', 'usd'],
    ['METRICS_TOKEN', 'short'],
    ['METRICS_TOKEN', 'has a space in the middle of it'],
    ['CORS_ORIGINS', 'localhost:3000'],
    ['CORS_ORIGINS', 'https://app.example.com/login'],
    ['CORS_ORIGINS', 'http://localhost:3000,,https://app.example.com'],
    ['CORS_ORIGINS', '*,http://localhost:3000'],
  ])('rejects %s=%s with a message naming the variable', (variable, value) => {
    const attempt = () => loadConfig({ DATA_DIR: dataDir, [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid setting ${variable}: `));
  });

  it('reads JOBS (on by default) and the notification lease', () => {
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ jobs: { enabled: true }, notifications: { leaseMs: 60_000 } });
    expect(loadConfig({ DATA_DIR: dataDir, JOBS: 'off', NOTIFICATION_LEASE_SECONDS: '5' })).toMatchObject({ jobs: { enabled: false }, notifications: { leaseMs: 5000 } });
  });

  it('reads the meeting settings: JITSI by default on meet.jit.si, Zoom, Teams and Meet not configured', () => {
    const defaults = loadConfig({ DATA_DIR: dataDir }).meetings;
    expect(defaults).toMatchObject({ defaultProvider: 'JITSI', jitsiBaseUrl: 'https://meet.jit.si', phoneNumber: null });
    expect(Object.keys(defaults.unconfigured).sort()).toEqual(['GOOGLE_MEET', 'TEAMS', 'ZOOM']);
    expect(loadConfig({ DATA_DIR: dataDir, MEETING_PROVIDER: 'PHONE', JITSI_BASE_URL: 'https://jitsi.example.com//', MEETING_PHONE_NUMBER: '+44 20 7946 0000' }).meetings).toMatchObject({
      defaultProvider: 'PHONE',
      jitsiBaseUrl: 'https://jitsi.example.com',
      phoneNumber: '+44 20 7946 0000',
    });
    expect(() => loadConfig({ DATA_DIR: dataDir, MEETING_PROVIDER: 'SKYPE' })).toThrow(/MEETING_PROVIDER: must be JITSI, PHONE, ZOOM, TEAMS or GOOGLE_MEET/);
    expect(() => loadConfig({ DATA_DIR: dataDir, MEETING_PHONE_NUMBER: 'call me' })).toThrow(/MEETING_PHONE_NUMBER/);
  });

  it('reads Zoom, Teams and Google Meet settings: configured only with all their credentials, secrets never echoed', () => {
    const zoom = { ZOOM_ACCOUNT_ID: 'acc', ZOOM_CLIENT_ID: 'cid', ZOOM_CLIENT_SECRET: 'zoom-secret-value' };
    const teams = { TEAMS_TENANT_ID: 'tenant', TEAMS_CLIENT_ID: 'app', TEAMS_CLIENT_SECRET: 'teams-secret-value' };
    const key = JSON.stringify({ client_email: 'meet@project.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n' });
    const partial = loadConfig({ DATA_DIR: dataDir, ZOOM_ACCOUNT_ID: 'acc', ZOOM_CLIENT_ID: 'cid' }).meetings;
    expect(partial.zoom).toBeNull();
    expect(partial.unconfigured.ZOOM).toMatch(/ZOOM_CLIENT_SECRET/);

    const all = loadConfig({ DATA_DIR: dataDir, ...zoom, ...teams, GOOGLE_SERVICE_ACCOUNT_JSON: key, ZOOM_AUTO_RECORDING: 'cloud', ZOOM_HOST_USER: 'host@example.com' }).meetings;
    expect(all.unconfigured).toEqual({});
    expect(all.zoom).toEqual({
      accountId: 'acc',
      clientId: 'cid',
      clientSecret: 'zoom-secret-value',
      fallbackHost: 'host@example.com',
      waitingRoom: true,
      autoRecording: 'cloud',
      apiUrl: 'https://api.zoom.us/v2',
      oauthUrl: 'https://zoom.us/oauth/token',
    });
    expect(all.teams).toMatchObject({ tenantId: 'tenant', fallbackOrganizer: null, graphUrl: 'https://graph.microsoft.com/v1.0', loginUrl: 'https://login.microsoftonline.com' });
    expect(all.google).toMatchObject({ clientEmail: 'meet@project.iam.gserviceaccount.com', tokenUrl: 'https://oauth2.googleapis.com/token', calendarId: 'primary', impersonate: null });
    expect(all.httpTimeoutMs).toBe(10_000);

    let message = '';
    try {
      loadConfig({ DATA_DIR: dataDir, GOOGLE_SERVICE_ACCOUNT_JSON: '{"private_key": "k"}', ZOOM_AUTO_RECORDING: 'always' });
    } catch (error) {
      message = String(error);
    }
    expect(message).toMatch(/GOOGLE_SERVICE_ACCOUNT_JSON: must be the service account's JSON key/);
    expect(message).toMatch(/ZOOM_AUTO_RECORDING: must be none, local or cloud/);
    expect(message).not.toContain('{"private_key"');
  });

  it('reads METRICS_TOKEN, never echoing it', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).metricsToken).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: 'a-long-enough-token-123' }).metricsToken).toBe('a-long-enough-token-123');
    expect(() => loadConfig({ DATA_DIR: dataDir, METRICS_TOKEN: 'hunter2' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('reads the Stripe settings, never echoing a key; payments stay off without them', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).stripe).toMatchObject({ secretKey: undefined, webhookSecret: undefined, webhookToleranceSeconds: 300, bookingHoldMinutes: 15 });
    const set = loadConfig({ DATA_DIR: dataDir, STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_def456', STRIPE_API_URL: 'http://127.0.0.1:12111' });
    expect(set.stripe).toMatchObject({ secretKey: 'sk_test_abc123', webhookSecret: 'whsec_def456', apiUrl: 'http://127.0.0.1:12111' });
    expect(() => loadConfig({ DATA_DIR: dataDir, STRIPE_SECRET_KEY: 'sk_live_hunter2 oops' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test', TEST_PAUSE_WEBHOOK_BEFORE_COMMIT: 'true' }).testPauseWebhookBeforeCommit).toBe(true);
    expect(loadConfig({ DATA_DIR: dataDir }).stripe.bookingFee).toBeNull();
    // The widget's card field: the publishable key, of the same mode (test or live) as the secret key.
    expect(loadConfig({ DATA_DIR: dataDir }).stripe.publishableKey).toBeNull();
    expect(loadConfig({ DATA_DIR: dataDir, STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_def456', STRIPE_PUBLISHABLE_KEY: 'pk_test_xyz789' }).stripe.publishableKey).toBe('pk_test_xyz789');
    expect(() => loadConfig({ DATA_DIR: dataDir, STRIPE_SECRET_KEY: 'sk_live_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_def456', STRIPE_PUBLISHABLE_KEY: 'pk_test_xyz789' })).toThrow(
      /^Invalid setting STRIPE_PUBLISHABLE_KEY: is a test key but STRIPE_SECRET_KEY is a live one/,
    );
    expect(loadConfig({ DATA_DIR: dataDir, BOOKING_FEE_AMOUNT: '1000' }).stripe.bookingFee).toEqual({ amount: 1000, currency: 'USD' });
  });

  describe('PAYMENTS_MODE', () => {
    const keys = { STRIPE_SECRET_KEY: 'sk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_def456', SELLER_LEGAL_NAME: 'Serenity GmbH', SELLER_ADDRESS: 'Hauptstr. 1\\n10115 Berlin' };
    // Everything else production requires, so that only the payment settings decide.
    const production = { DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.com:587', DATABASE_URL: 'postgres://u:p@db.example.com:5432/serenity' };

    it('is local outside production without Stripe keys, stripe with them, off in production without them', () => {
      expect(loadConfig({ DATA_DIR: dataDir }).paymentsMode).toBe('local');
      expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test' }).paymentsMode).toBe('local');
      expect(loadConfig({ DATA_DIR: dataDir, ...keys }).paymentsMode).toBe('stripe');
      expect(loadConfig({ ...production, ...keys }).paymentsMode).toBe('stripe');
      expect(loadConfig(production).paymentsMode).toBe('off');
    });

    it('can be set explicitly: off, local (even with keys), stripe', () => {
      expect(loadConfig({ DATA_DIR: dataDir, PAYMENTS_MODE: 'off' }).paymentsMode).toBe('off');
      expect(loadConfig({ DATA_DIR: dataDir, PAYMENTS_MODE: 'local', ...keys }).paymentsMode).toBe('local');
      expect(loadConfig({ DATA_DIR: dataDir, PAYMENTS_MODE: 'stripe', ...keys }).paymentsMode).toBe('stripe');
      expect(loadConfig({ ...production, PAYMENTS_MODE: 'off', ...keys }).paymentsMode).toBe('off');
    });

    it('reads the seller printed on invoices: local defaults, required in production with Stripe', () => {
      expect(loadConfig({ DATA_DIR: dataDir }).seller).toEqual({ legalName: 'Serenity Consulting Ltd', address: '1 Example Street\nLondon EC1A 1AA\nUnited Kingdom', taxId: null, email: 'billing@serenity.local' });
      expect(loadConfig({ ...production, ...keys, SELLER_TAX_ID: 'DE123456789', SELLER_EMAIL: 'billing@serenity.example' }).seller).toEqual({ legalName: 'Serenity GmbH', address: 'Hauptstr. 1\n10115 Berlin', taxId: 'DE123456789', email: 'billing@serenity.example' });
      const { SELLER_LEGAL_NAME: _name, SELLER_ADDRESS: _address, ...keysOnly } = keys;
      expect(() => loadConfig({ ...production, ...keysOnly })).toThrow(/^Invalid setting SELLER_LEGAL_NAME: is required when NODE_ENV=production \(printed on every invoice\)\nInvalid setting SELLER_ADDRESS: is required/);
      expect(() => loadConfig({ DATA_DIR: dataDir, SELLER_EMAIL: 'not-an-address' })).toThrow(/^Invalid setting SELLER_EMAIL: must be an email address/);
    });

    it('refuses local in production, stripe without both keys, and unknown modes', () => {
      expect(() => loadConfig({ ...production, PAYMENTS_MODE: 'local' })).toThrow(/^Invalid setting PAYMENTS_MODE: local .*not allowed with NODE_ENV=production/);
      expect(() => loadConfig({ DATA_DIR: dataDir, PAYMENTS_MODE: 'stripe' })).toThrow(/^Invalid setting STRIPE_SECRET_KEY: is required when PAYMENTS_MODE=stripe/);
      expect(() => loadConfig({ DATA_DIR: dataDir, PAYMENTS_MODE: 'stripe', STRIPE_SECRET_KEY: keys.STRIPE_SECRET_KEY })).toThrow(/^Invalid setting STRIPE_WEBHOOK_SECRET: is required when PAYMENTS_MODE=stripe/);
      // One key alone is a half-done setup, not a reason to fall back to the simulator.
      expect(() => loadConfig({ DATA_DIR: dataDir, STRIPE_SECRET_KEY: keys.STRIPE_SECRET_KEY })).toThrow(/^Invalid setting STRIPE_WEBHOOK_SECRET: is required when PAYMENTS_MODE=stripe/);
      expect(() => loadConfig({ DATA_DIR: dataDir, PAYMENTS_MODE: 'fake' })).toThrow(/^Invalid setting PAYMENTS_MODE: /);
    });
  });

  it('never echoes the database URL (it carries a password) in its message', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://u:hunter2@' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('parses values', () => {
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '8080',
      DATABASE_URL: 'postgresql://app:secret@db.internal:5432/serenity',
      PUBLIC_URL: 'https://api.example.com/',
      SEED: 'false',
      BODY_LIMIT: '512kb',
      LOG_LEVEL: 'debug',
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgresql://app:secret@db.internal:5432/serenity');
    expect(config.publicUrl).toBe('https://api.example.com');
    expect(config.seed).toBe(false);
    expect(config.bodyLimitBytes).toBe(512 * 1024);
    expect(config.logLevel).toBe('debug');
  });

  it('reads the GraphQL limits, with defaults that let normal clients through', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).graphql).toMatchObject({ maxDepth: 12, maxComplexity: 5000, maxAliases: 15, maxRootFields: 10, searchLimitPerMinute: 60 });
    const set = loadConfig({
      DATA_DIR: dataDir,
      GRAPHQL_MAX_DEPTH: '8',
      GRAPHQL_MAX_COMPLEXITY: '3000',
      GRAPHQL_MAX_ALIASES: '0',
      GRAPHQL_MAX_ROOT_FIELDS: '4',
      GRAPHQL_SEARCH_LIMIT_PER_MINUTE: '20',
    });
    expect(set.graphql).toMatchObject({ maxDepth: 8, maxComplexity: 3000, maxAliases: 0, maxRootFields: 4, searchLimitPerMinute: 20 });
    expect(() => loadConfig({ DATA_DIR: dataDir, GRAPHQL_MAX_ROOT_FIELDS: 'ten' })).toThrow(
      'Invalid setting GRAPHQL_MAX_ROOT_FIELDS: must be a whole number between 1 and 1000 (got "ten")',
    );
    expect(() => loadConfig({ DATA_DIR: dataDir, GRAPHQL_SEARCH_LIMIT_PER_MINUTE: '0' })).toThrow('Invalid setting GRAPHQL_SEARCH_LIMIT_PER_MINUTE: must be at least 1 (got "0")');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATA_DIR: dataDir, PORT: '', DATABASE_URL: '' }).port).toBe(4000);
  });

  it('generates a JWT secret into DATA_DIR once and reuses it', async () => {
    const dir = path.join(dataDir, 'jwt');
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.jwtSecretSource).toBe('generated');
    expect(second.jwtSecretSource).toBe('file');
    expect(second.jwtSecret).toBe(first.jwtSecret);
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect((await readFile(path.join(dir, 'jwt-secret'), 'utf8')).trim()).toBe(first.jwtSecret);
  });

  it('requires JWT_SECRET, SMTP_URL and DATABASE_URL in production and turns the IDE and introspection off', () => {
    const production = { DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.com:587', DATABASE_URL: 'postgres://app:pw@db.internal:5432/serenity' };
    expect(() => loadConfig({ ...production, JWT_SECRET: '' })).toThrow(/^Invalid setting JWT_SECRET: is required/);
    expect(() => loadConfig({ ...production, SMTP_URL: '' })).toThrow(/^Invalid setting SMTP_URL: is required/);
    // Not the embedded database: it is for development, and would hide a forgotten setting.
    expect(() => loadConfig({ ...production, DATABASE_URL: '' })).toThrow(/^Invalid setting DATABASE_URL: is required when NODE_ENV=production/);
    const config = loadConfig(production);
    expect(config.graphql.ide).toBe(false);
    expect(config.graphql.introspection).toBe(false);
    expect(config.jwtSecretSource).toBe('env');
  });

  it('reads CORS_ORIGINS: any origin outside production unless listed, none in production unless listed, never * in production', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).corsOrigins).toBe('*');
    expect(loadConfig({ DATA_DIR: dataDir, CORS_ORIGINS: ' http://localhost:3000 , https://App.Example.com/ ' }).corsOrigins).toEqual([
      'http://localhost:3000',
      'https://app.example.com',
    ]);
    const production = { DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.com:587', DATABASE_URL: 'postgres://app:pw@db.internal:5432/serenity' };
    expect(loadConfig(production).corsOrigins).toEqual([]);
    expect(loadConfig({ ...production, CORS_ORIGINS: 'https://app.example.com' }).corsOrigins).toEqual(['https://app.example.com']);
    expect(() => loadConfig({ ...production, CORS_ORIGINS: '*' })).toThrow(/^Invalid setting CORS_ORIGINS: \* \(any origin\) is not allowed when NODE_ENV=production/);
  });

  it('reads WIDGET_EMBED_ORIGINS: any site may frame the booking widget outside production, the listed ones in production, never *', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).widgetEmbedOrigins).toBe('*');
    const production = { DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.com:587', DATABASE_URL: 'postgres://app:pw@db.internal:5432/serenity' };
    expect(loadConfig(production).widgetEmbedOrigins).toEqual([]);
    expect(loadConfig({ ...production, WIDGET_EMBED_ORIGINS: 'https://partner.example, https://Shop.Example:8443/' }).widgetEmbedOrigins).toEqual([
      'https://partner.example',
      'https://shop.example:8443',
    ]);
    expect(() => loadConfig({ ...production, WIDGET_EMBED_ORIGINS: '*' })).toThrow(/^Invalid setting WIDGET_EMBED_ORIGINS: \* \(any site\) is not allowed when NODE_ENV=production/);
    expect(() => loadConfig({ DATA_DIR: dataDir, WIDGET_EMBED_ORIGINS: 'partner.example' })).toThrow(/WIDGET_EMBED_ORIGINS/);
  });

  it('reports every invalid setting at once, one line each, in the order of the settings table', () => {
    let error: unknown;
    try {
      loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', PORT: 'eighty', LOG_LEVEL: 'loud', METRICS_TOKEN: 'hunter2' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues.map((i) => i.variable)).toEqual(['PORT', 'DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL', 'METRICS_TOKEN', 'SMTP_URL']);
    expect(message.split('\n')).toEqual([
      'Invalid setting PORT: must be a whole number between 0 and 65535 (got "eighty")',
      expect.stringMatching(/^Invalid setting DATABASE_URL: is required when NODE_ENV=production/),
      expect.stringMatching(/^Invalid setting JWT_SECRET: is required when NODE_ENV=production/),
      expect.stringMatching(/^Invalid setting LOG_LEVEL: /),
      expect.stringMatching(/^Invalid setting METRICS_TOKEN: must be 16 to 256/),
      expect.stringMatching(/^Invalid setting SMTP_URL: is required when NODE_ENV=production/),
    ]);
    expect(message).not.toContain('hunter2');
  });

  it('writes no JWT secret file when the settings are invalid', async () => {
    const dir = path.join(dataDir, 'invalid');
    expect(() => loadConfig({ DATA_DIR: dir, PORT: 'eighty' })).toThrow(ConfigError);
    await expect(readFile(path.join(dir, 'jwt-secret'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('rejects a short JWT_SECRET', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'short' })).toThrow(/^Invalid setting JWT_SECRET: must be at least 32 characters$/);
  });
});

describe('assertNodeVersion', () => {
  it('accepts Node 22.17 and later, rejects older with a clear message', () => {
    expect(() => assertNodeVersion('24.21.0')).not.toThrow();
    expect(() => assertNodeVersion('22.17.0')).not.toThrow();
    expect(() => assertNodeVersion('22.16.1')).toThrow(/needs Node.js >= 22.17, this is 22.16.1/);
    expect(() => assertNodeVersion('20.20.2')).toThrow(ConfigError);
  });
});

describe('npm start with a bad setting', () => {
  const start = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/main.ts'], {
        env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('fails fast naming PORT', async () => {
    const { code, stderr } = await start({ PORT: 'eighty' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid setting PORT: must be a whole number between 0 and 65535 (got "eighty")');
  });

  it('lists every bad setting in one run, without a stack', async () => {
    const { code, stderr } = await start({ PORT: 'eighty', SEED: 'maybe', NODE_ENV: 'production' });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines.map((l) => /^serenity: Invalid setting (\w+):/.exec(l)?.[1])).toEqual(['PORT', 'DATABASE_URL', 'JWT_SECRET', 'SEED', 'SMTP_URL']);
  });

  it('fails fast naming DATABASE_URL', async () => {
    const { code, stderr } = await start({ DATABASE_URL: 'localhost:5432' });
    expect(code).toBe(1);
    expect(stderr).toContain('Invalid setting DATABASE_URL: must be a URL like postgres://');
  });
});
