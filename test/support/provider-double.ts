/**
 * The common part of the meeting providers' local HTTP doubles (microsoft-graph-double.ts,
 * google-calendar-double.ts): a node:http server on port 0 that records every request and can be
 * told to fail the next calls, or to do the work and then answer late (a lost answer).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON, or the form fields of a urlencoded body, or the text. */
  body: any;
  raw: string;
}

export interface Answer {
  status: number;
  body?: unknown;
}

export interface ProviderDouble {
  url: string;
  requests: RecordedRequest[];
  /** The next `count` requests matching `match` (all when omitted) answer `answer` instead of being handled. */
  failNext(count: number, answer: Answer, match?: (request: RecordedRequest) => boolean): void;
  /** The next `count` requests matching `match` are handled (their effect happens), then answered after `ms`. */
  delayNext(count: number, ms: number, match?: (request: RecordedRequest) => boolean): void;
  close(): Promise<void>;
}

interface Rule {
  left: number;
  match: (request: RecordedRequest) => boolean;
}

export async function startProviderDouble(handle: (request: RecordedRequest) => Answer | Promise<Answer>): Promise<ProviderDouble> {
  const requests: RecordedRequest[] = [];
  const failures: Array<Rule & { answer: Answer }> = [];
  const delays: Array<Rule & { ms: number }> = [];
  const take = <T extends Rule>(rules: T[], request: RecordedRequest): T | undefined => {
    const rule = rules.find((r) => r.left > 0 && r.match(request));
    if (rule) rule.left--;
    return rule;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://double');
        const type = req.headers['content-type'] ?? '';
        let body: any = raw;
        if (type.includes('application/json') && raw) body = JSON.parse(raw);
        else if (type.includes('application/x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
        const request: RecordedRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers, body, raw };
        requests.push(request);
        const failure = take(failures, request);
        const answer = failure ? failure.answer : await handle(request);
        const delay = take(delays, request);
        if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
        if (res.destroyed) return;
        if (answer.body === undefined) {
          res.writeHead(answer.status).end();
        } else {
          res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
        }
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const all = () => true;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext: (count, answer, match = all) => void failures.push({ left: count, answer, match }),
    delayNext: (count, ms, match = all) => void delays.push({ left: count, ms, match }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of a recorded request, or null. */
export function bearerOf(request: RecordedRequest): string | null {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}
