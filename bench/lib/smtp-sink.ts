import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message an SMTP sink accepted: enough to match it to its delivery and time it. */
export interface SunkMail {
  messageId: string | null;
  to: string[];
  /** Date.now() when the message was accepted (the SMTP reply is sent right after). */
  receivedAt: number;
}

export interface SmtpSink {
  readonly port: number;
  /** Every accepted message, in order of arrival (none dropped, unlike the dev capture's newest 500). */
  readonly mails: SunkMail[];
  /** Milliseconds spent parsing messages, summed over all of them. */
  parseMs(): number;
  stop(): Promise<void>;
}

/**
 * An SMTP server on 127.0.0.1 for benchmarks: src/platform/mail-capture.ts keeps only its
 * newest 500 mails, too few to count 10,000. With `parse` it parses each message with
 * mailparser before answering, as the capture does (same cost per mail); without, it reads the
 * Message-ID from the raw header only.
 */
export async function startSmtpSink(options: { parse: boolean }): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  let parseMs = 0;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    closeTimeout: 2000,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address);
      const done = (messageId: string | null) => {
        mails.push({ messageId, to, receivedAt: Date.now() });
        callback();
      };
      if (options.parse) {
        const started = performance.now();
        simpleParser(stream)
          .then((parsed) => {
            parseMs += performance.now() - started;
            done(parsed.messageId ?? null);
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = raw.slice(0, raw.search(/\r?\n\r?\n/) >>> 0);
        done(/^message-id:\s*(\S+)/im.exec(header)?.[1] ?? null);
      });
    },
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  return { port, mails, parseMs: () => parseMs, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
