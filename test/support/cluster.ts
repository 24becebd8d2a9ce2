/**
 * Production's shape in a test: N API processes (`npm start`, JOBS=off) and a worker
 * (`npm run worker`) as real child processes on one PostgreSQL, paying through the Stripe
 * double and mailing into an SMTP recorder of this process. Processes can be stopped
 * (SIGTERM), killed (SIGKILL) and started again in their slot; the multi-instance and chaos
 * tests drive them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { spawnScript, type ApiProcess } from './api-process.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startStripeDouble, stripeSettings, type StripeDouble } from './stripe-double.js';

/** One message the recorder accepted: what counting deliveries needs, plus the links of identity mails. */
export interface RecordedMail {
  messageId: string | null;
  /** X-Serenity-Kind, e.g. 'reminder-1h', 'verify-email'. */
  kind: string | null;
  to: string[];
  /** Only for identity mails (verify-email …), whose links the tests follow. */
  links: string[];
}

export interface SmtpRecorder {
  port: number;
  /** Every accepted message in order of arrival (none dropped, unlike the dev capture's newest 500). */
  mails: RecordedMail[];
  /** The newest verify-email link to `to`, once it came. */
  waitForLink(to: string, pathPrefix: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

const IDENTITY_KINDS = new Set(['verify-email', 'password-reset', 'invitation']);

/**
 * An SMTP server on 127.0.0.1 that keeps every message's headers; only identity mails are parsed
 * (for their links): the load sends hundreds of messages and parsing each would cost the
 * machine's CPU the processes under test need.
 */
export async function startSmtpRecorder(): Promise<SmtpRecorder> {
  const mails: RecordedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 2000,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        const header = text.slice(0, text.search(/\r?\n\r?\n/) >>> 0);
        const messageId = /^message-id:\s*(\S+)/im.exec(header)?.[1] ?? null;
        const kind = /^x-serenity-kind:\s*(\S+)/im.exec(header)?.[1] ?? null;
        if (!kind || !IDENTITY_KINDS.has(kind)) {
          mails.push({ messageId, kind, to, links: [] });
          callback();
          return;
        }
        simpleParser(raw)
          .then((parsed) => {
            const links = [...(parsed.text ?? '').matchAll(/https?:\/\/[^\s<>"')\]]+/g)].map((m) => m[0]);
            mails.push({ messageId, kind, to, links });
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  return {
    port,
    mails,
    async waitForLink(to, pathPrefix, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const link = mails
          .filter((m) => m.to.includes(to.toLowerCase()))
          .flatMap((m) => m.links)
          .reverse()
          .find((l) => new URL(l).pathname.startsWith(pathPrefix));
        if (link) return link;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} with a ${pathPrefix} link after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ClusterOptions {
  databaseUrl: string;
  stripe: StripeDouble;
  smtpPort: number;
  apis: number;
  /** Settings for every process (on top of the shared ones). */
  env?: Record<string, string>;
}

export interface Cluster {
  /** The running API process of each slot (null: stopped or killed). */
  readonly apis: ReadonlyArray<ApiProcess | null>;
  readonly worker: ApiProcess | null;
  /** …/graphql of slot i's process as it runs now (a restart listens on another port). */
  graphqlUrl(i: number): string | null;
  webhookUrl(i: number): string | null;
  /** Starts slot i's API and waits for /readyz. */
  startApi(i: number): Promise<ApiProcess>;
  startWorker(): Promise<ApiProcess>;
  /** SIGTERM, then the exit (a graceful stop exits 0). */
  stopApi(i: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no chance to finish anything. */
  killApi(i: number): Promise<void>;
  killWorker(): Promise<void>;
  stopWorker(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every process's output, for a failing test's message. */
  logs(): string;
  /** Kills whatever still runs and removes the data folder. */
  close(): Promise<void>;
}

export const CLUSTER_JWT_SECRET = 'cluster-secret-cluster-secret-cluster-0123456789';

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-cluster-'));
  const shared: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: CLUSTER_JWT_SECRET,
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    ...stripeSettings(options.stripe),
    // Every client of the load comes from 127.0.0.1.
    AUTH_IP_LIMIT_PER_MINUTE: '100000',
    GRAPHQL_SEARCH_LIMIT_PER_MINUTE: '100000',
    JOBS_PROCESS_EVERY_MS: '200',
    // A crashed sender's claim is taken over soon (the chaos test kills the worker mid-send).
    NOTIFICATION_LEASE_SECONDS: '3',
    // Confirmations wait for the meeting link at most this long: the drain stays short.
    MEETING_LINK_WAIT_SECONDS: '5',
    SHUTDOWN_TIMEOUT_MS: '10000',
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  const apis: Array<ApiProcess | null> = Array.from({ length: options.apis }, () => null);
  let worker: ApiProcess | null = null;
  const everyProcess: Array<{ name: string; process: ApiProcess }> = [];
  const spawnOne = async (name: string, script: 'start' | 'worker', env: Record<string, string>) => {
    const started = await spawnScript({ script, dataDir, env: { ...shared, ...env } });
    everyProcess.push({ name, process: started });
    return started;
  };
  const url = (i: number, pathname: string) => (apis[i] ? `http://127.0.0.1:${apis[i].port}${pathname}` : null);

  return {
    apis,
    get worker() {
      return worker;
    },
    graphqlUrl: (i) => url(i, '/graphql'),
    webhookUrl: (i) => url(i, '/webhooks/stripe'),
    async startApi(i) {
      if (apis[i]) throw new Error(`API ${i} is running`);
      // JOBS=off: the worker runs the jobs, as production does; LOG_LEVEL info for "is up".
      const api = await spawnOne(`api ${i}`, 'start', { JOBS: 'off' });
      await api.waitReady(120_000);
      apis[i] = api;
      return api;
    },
    async startWorker() {
      if (worker) throw new Error('the worker is running');
      const started = await spawnOne('worker', 'worker', { LOG_LEVEL: 'info' });
      await started.waitForOutput('Serenity worker is up', 120_000);
      worker = started;
      return started;
    },
    async stopApi(i) {
      const api = apis[i];
      if (!api) throw new Error(`API ${i} is not running`);
      api.child.kill('SIGTERM');
      const exit = await api.exited;
      apis[i] = null;
      return exit;
    },
    async killApi(i) {
      const api = apis[i];
      if (!api) throw new Error(`API ${i} is not running`);
      // Out of the slot first: the load stops choosing it at once.
      apis[i] = null;
      api.child.kill('SIGKILL');
      await api.exited;
    },
    async killWorker() {
      const killed = worker;
      if (!killed) throw new Error('the worker is not running');
      worker = null;
      killed.child.kill('SIGKILL');
      await killed.exited;
    },
    async stopWorker() {
      const stopping = worker;
      if (!stopping) throw new Error('the worker is not running');
      stopping.child.kill('SIGTERM');
      const exit = await stopping.exited;
      worker = null;
      return exit;
    },
    logs: () => everyProcess.map(({ name, process }) => `--- ${name} (pid ${process.pid}) ---\n${process.tail(80)}`).join('\n'),
    async close() {
      for (const { process } of everyProcess) if (process.child.exitCode === null && process.child.signalCode === null) process.child.kill('SIGKILL');
      await Promise.all(everyProcess.map(({ process }) => process.exited));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export interface Answered<T> {
  /** The API slot that answered. */
  api: number;
  status: number;
  body: GraphQLAnswer<T>;
  /** Attempts that reached no API (refused, reset, 503 while stopping) before this answer. */
  unreachable: number;
}

/**
 * POSTs to slot `prefer` (else the next running one) until some API answers with a GraphQL
 * body. A connection error or a 502/503 (an API stopping) is "not answered": the request may or
 * may not have run, which is why every mutation of the load carries an idempotency key or is safe
 * to repeat.
 */
export async function callCluster<T>(cluster: Cluster, prefer: number, query: string, variables: Record<string, unknown>, token?: string): Promise<Answered<T>> {
  let unreachable = 0;
  const deadline = Date.now() + 90_000;
  for (let attempt = 0; ; attempt += 1) {
    const n = cluster.apis.length;
    const slot = (prefer + attempt) % n;
    const url = cluster.graphqlUrl(slot);
    if (url) {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        });
        const text = await response.text();
        if (response.status !== 502 && response.status !== 503) {
          let body: GraphQLAnswer<T>;
          try {
            body = JSON.parse(text) as GraphQLAnswer<T>;
          } catch {
            throw new Error(`API ${slot} answered HTTP ${response.status} without JSON: ${text.slice(0, 300)}`);
          }
          return { api: slot, status: response.status, body, unreachable };
        }
      } catch (error) {
        if (error instanceof Error && error.message.startsWith(`API ${slot} answered`)) throw error;
        // fetch failed: refused, reset, closed mid-answer.
      }
      unreachable += 1;
    }
    if (Date.now() > deadline) throw new Error(`no API answered ${query.slice(0, 60)} for 90 s`);
    if (attempt % n === n - 1) await new Promise((r) => setTimeout(r, 100));
  }
}

/** The data of an answer that must succeed. */
export async function okCluster<T>(cluster: Cluster, prefer: number, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const answer = await callCluster<T>(cluster, prefer, query, variables, token);
  if (answer.body.errors?.length || !answer.body.data) throw new Error(`${query.slice(0, 80)} failed on API ${answer.api}: ${JSON.stringify(answer.body.errors)}`);
  return answer.body.data;
}

/** A cluster with what it pays and mails into, and a direct connection for the checks. */
export interface ClusterRig {
  database: TestDatabase;
  stripe: StripeDouble;
  mail: SmtpRecorder;
  cluster: Cluster;
  db: pg.Client;
  close(): Promise<void>;
}

/** A fresh database, the Stripe double and an SMTP recorder, two APIs and a worker, all started. */
export async function startClusterRig(): Promise<ClusterRig> {
  const database = await createTestDatabase();
  const stripe = await startStripeDouble();
  const mail = await startSmtpRecorder();
  const cluster = await startCluster({ databaseUrl: database.url, stripe, smtpPort: mail.port, apis: 2 });
  // API 0 first: it seeds (the catalog, the demo admin); then the other and the worker.
  await cluster.startApi(0);
  await Promise.all([cluster.startApi(1), cluster.startWorker()]);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  return {
    database,
    stripe,
    mail,
    cluster,
    db,
    async close() {
      await db.end();
      await cluster.close();
      await mail.stop();
      await stripe.close();
      await database.drop();
    },
  };
}
