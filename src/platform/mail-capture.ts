import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { Logger } from './logger.js';

/** A part of a captured mail that is a file (an attachment, or the calendar invitation). */
export interface CapturedAttachment {
  filename: string | null;
  contentType: string;
  /** Bytes. */
  size: number;
  content: Buffer;
  /** For text/calendar parts: the METHOD parameter (REQUEST, CANCEL …), else null. */
  method: string | null;
}

/** One message the capture received, parsed. */
export interface CapturedMail {
  id: string;
  /** The X-Serenity-Kind header, e.g. 'verify-email'; null when the message had none. */
  kind: string | null;
  /** The Message-ID header, e.g. '<id@host>' (a resend of the same message carries the same one). */
  messageId: string | null;
  /** The From header as written, e.g. 'Serenity <no-reply@serenity.local>'. */
  from: string;
  /** The SMTP envelope recipients: who the message was actually delivered to. */
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** Every http(s) URL in the text and in the HTML's hrefs, deduplicated, in order of appearance. */
  links: string[];
  /** Its files, in order (PDFs, the text/calendar invitation …). */
  attachments: CapturedAttachment[];
  /** ISO 8601. */
  receivedAt: string;
}

export interface MailFilter {
  /** A recipient address, compared case-insensitively. */
  to?: string;
  kind?: string;
}

export interface MailCapture {
  readonly port: number;
  /** Newest first. */
  list(filter?: MailFilter): CapturedMail[];
  /**
   * Resolves with a mail matching the filter: the newest one already captured, else the first
   * one to arrive. Rejects after timeoutMs (default 5000) with a message saying what was waited
   * for and what did arrive.
   */
  waitFor(filter: MailFilter, timeoutMs?: number): Promise<CapturedMail>;
  clear(): void;
  stop(): Promise<void>;
}

/** How many messages are kept; older ones are dropped. */
const KEEP = 500;
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const DEFAULT_WAIT_MS = 5000;

interface Waiter {
  filter: MailFilter;
  resolve(mail: CapturedMail): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * An SMTP server on 127.0.0.1 (random free port, no TLS, no auth) that parses and keeps the
 * newest messages in memory. The SMTP reply is sent only once a message is parsed and stored,
 * so when the sender's send() resolves the mail is already listed.
 */
export async function startMailCapture(logger: Logger): Promise<MailCapture> {
  const log = logger.child({ component: 'mail-capture' });
  let mails: CapturedMail[] = [];
  const waiters = new Set<Waiter>();

  const store = (mail: CapturedMail) => {
    mails.unshift(mail);
    if (mails.length > KEEP) mails.length = KEEP;
    for (const waiter of [...waiters]) {
      if (!matches(mail, waiter.filter)) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(mail);
    }
  };

  const server = new SMTPServer({
    name: 'serenity-mail-capture',
    banner: 'Serenity development mail capture',
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    logger: false,
    closeTimeout: 2000,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      // mailparser (with iconv-lite's and linkify-it's tables: several MB of heap) at the first mail.
      import('mailparser')
        .then(({ simpleParser }) => simpleParser(stream))
        .then((parsed) => {
          if (stream.sizeExceeded) {
            // rejectOversized makes the server answer 552 whatever we report.
            callback();
            return;
          }
          const kind = parsed.headers.get('x-serenity-kind');
          const text = parsed.text ?? '';
          const html = typeof parsed.html === 'string' ? parsed.html : null;
          const mail: CapturedMail = {
            id: randomUUID(),
            kind: typeof kind === 'string' && kind !== '' ? kind : null,
            messageId: parsed.messageId ?? null,
            from: formatFrom(parsed.from?.value[0]) ?? sender,
            to: recipients,
            subject: parsed.subject ?? '',
            text,
            html,
            links: extractLinks(text, html),
            attachments: parsed.attachments.map((a) => ({
              filename: a.filename ?? null,
              contentType: a.contentType,
              size: a.size,
              content: a.content,
              method: calendarMethod(a.contentType, a.headers.get('content-type')),
            })),
            receivedAt: new Date().toISOString(),
          };
          store(mail);
          log.debug({ mailId: mail.id, kind: mail.kind, recipients: recipients.length }, 'mail captured');
          callback(null, `Captured as ${mail.id}`);
        })
        .catch((error: unknown) => {
          log.warn({ err: error }, 'could not parse a captured mail');
          stream.resume();
          callback(error instanceof Error ? error : new Error(String(error)));
        });
    },
  });
  // Without a listener a client resetting its connection would crash the process.
  server.on('error', (error) => log.warn({ err: error }, 'mail capture connection error'));

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', onError);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
  log.debug({ port }, 'mail capture listening');

  let stopped: Promise<void> | undefined;
  return {
    port,
    list(filter = {}) {
      return mails.filter((mail) => matches(mail, filter));
    },
    waitFor(filter, timeoutMs = DEFAULT_WAIT_MS) {
      const found = mails.find((mail) => matches(mail, filter));
      if (found) return Promise.resolve(found);
      if (stopped) return Promise.reject(new Error('The mail capture is stopped.'));
      return new Promise<CapturedMail>((resolve, reject) => {
        const waiter: Waiter = {
          filter,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(timeoutMessage(filter, timeoutMs, mails)));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    clear() {
      mails = [];
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const waiter of waiters) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`The mail capture stopped while waiting for ${describe(waiter.filter)}.`));
        }
        waiters.clear();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}

/** A text/calendar part's METHOD parameter (upper case), else null. */
function calendarMethod(contentType: string, header: unknown): string | null {
  if (!contentType.toLowerCase().startsWith('text/calendar')) return null;
  const params = typeof header === 'object' && header !== null ? (header as { params?: Record<string, string> }).params : undefined;
  return params?.method ? params.method.toUpperCase() : null;
}

/** 'Serenity <no-reply@serenity.local>' (no quotes around a plain name), or the bare address. */
function formatFrom(address: { name: string; address?: string | undefined } | undefined): string | undefined {
  if (!address?.address) return undefined;
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

function matches(mail: CapturedMail, filter: MailFilter): boolean {
  if (filter.kind !== undefined && mail.kind !== filter.kind) return false;
  if (filter.to !== undefined) {
    const wanted = filter.to.trim().toLowerCase();
    if (!mail.to.some((address) => address.toLowerCase() === wanted)) return false;
  }
  return true;
}

function describe(filter: MailFilter): string {
  const parts = [
    filter.kind !== undefined ? `of kind "${filter.kind}"` : '',
    filter.to !== undefined ? `to ${filter.to}` : '',
  ].filter(Boolean);
  return parts.length ? `a mail ${parts.join(' ')}` : 'any mail';
}

function timeoutMessage(filter: MailFilter, timeoutMs: number, mails: CapturedMail[]): string {
  const recent = mails
    .slice(0, 5)
    .map((mail) => `${mail.kind ?? '(no kind)'} to ${mail.to.join(', ')}: "${mail.subject}"`)
    .join('; ');
  return (
    `Timed out after ${timeoutMs} ms waiting for ${describe(filter)}. ` +
    (mails.length ? `Captured ${mails.length} other mail(s), newest: ${recent}.` : 'No mail was captured at all.')
  );
}

const TEXT_URL = /https?:\/\/[^\s<>"'`]+/gi;
const HREF = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** http(s) URLs from the text, then from the HTML's hrefs; deduplicated, in order. */
export function extractLinks(text: string, html: string | null): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(TEXT_URL)) found.push(trimTrailingPunctuation(match[0]));
  if (html) {
    for (const match of html.matchAll(HREF)) {
      const href = decodeEntities((match[1] ?? match[2] ?? match[3] ?? '').trim());
      if (/^https?:\/\//i.test(href)) found.push(href);
    }
  }
  return [...new Set(found)];
}

/** "See https://x.test/a." → the dot ends the sentence, not the URL; an unmatched ")" closes a parenthesis. */
function trimTrailingPunctuation(url: string): string {
  let result = url;
  for (;;) {
    const last = result.at(-1);
    if (last !== undefined && '.,;:!?'.includes(last)) {
      result = result.slice(0, -1);
    } else if ((last === ')' || last === ']') && count(result, last === ')' ? '(' : '[') < count(result, last)) {
      result = result.slice(0, -1);
    } else {
      return result;
    }
  }
}

function count(value: string, char: string): number {
  return value.split(char).length - 1;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}
