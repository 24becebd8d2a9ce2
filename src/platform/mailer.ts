import type { Transporter } from 'nodemailer';
import type { Logger } from './logger.js';
import type { MailCapture } from './mail-capture.js';

/** A file sent with a mail (an invoice PDF, a credit note). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer | string;
}

/**
 * An iCalendar invitation (RFC 6047 iMIP): sent as the text/calendar alternative with its METHOD
 * (and as an invite.ics attachment), so mail clients show it as an invitation to accept, or, for
 * CANCEL, as one that removes the event.
 */
export interface MailCalendarEvent {
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH';
  /** The VCALENDAR text; its METHOD must be `method`. */
  content: string;
  /** Default 'invite.ics'. */
  filename?: string;
}

export interface OutgoingMail {
  /** What event sent it, e.g. 'verify-email', 'password-reset', 'invitation'. Sent as header X-Serenity-Kind. */
  kind: string;
  /** One address or several: one message, every address in its To header. */
  to: string | readonly string[];
  subject: string;
  text: string;
  html?: string;
  /** The Message-ID header, e.g. '<id@host>'; unset: nodemailer makes one. A resend of the same message carries the same one. */
  messageId?: string;
  attachments?: readonly MailAttachment[];
  calendar?: MailCalendarEvent;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects when it did not. */
  send(mail: OutgoingMail): Promise<void>;
  /** The capture, when mail is captured instead of sent (no SMTP_URL). */
  readonly capture: MailCapture | undefined;
  /** Closes the transport and the capture server. */
  close(): Promise<void>;
}

/**
 * Real SMTP delivery everywhere: to `smtpUrl` when it is set, otherwise to an in-process
 * capture server (listed at GET /dev/mail) started here.
 */
export async function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Promise<Mailer> {
  const log = options.logger.child({ component: 'mailer' });
  // The capture (smtp-server, mailparser) is loaded only when it runs: never with SMTP_URL, as in production.
  const capture = options.smtpUrl ? undefined : await (await import('./mail-capture.js')).startMailCapture(options.logger);

  // nodemailer (about 5 MB of heap) is loaded at the first mail: an API replica may never send one.
  let transport: Promise<Transporter> | undefined;
  const transporter = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      capture
        ? nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: capture.port, secure: false, ignoreTLS: true })
        : nodemailer.createTransport({ pool: true, url: options.smtpUrl! }),
    ));

  if (capture) {
    log.info({ smtpPort: capture.port }, 'no SMTP_URL: mail is captured in-process, see GET /dev/mail');
  } else {
    log.info({ smtp: describeSmtpUrl(options.smtpUrl!) }, 'mail is sent through SMTP');
  }

  let closed: Promise<void> | undefined;
  return {
    capture,
    async send(mail) {
      if (closed) throw new Error('The mailer is closed.');
      const addresses = typeof mail.to === 'string' ? [mail.to] : [...mail.to];
      if (addresses.length === 0) throw new Error('A mail needs at least one recipient.');
      const recipient = addresses.map(maskEmail).join(', ');
      try {
        const info = await (await transporter()).sendMail({
          from: options.from,
          to: addresses,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html !== undefined ? { html: mail.html } : {}),
          ...(mail.messageId !== undefined ? { messageId: mail.messageId } : {}),
          ...(mail.attachments?.length ? { attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
          ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: mail.calendar.filename ?? 'invite.ics', content: mail.calendar.content } } : {}),
          headers: { 'X-Serenity-Kind': mail.kind },
        });
        log.info({ kind: mail.kind, to: recipient, messageId: info.messageId }, 'mail sent');
      } catch (error) {
        log.error({ err: error, kind: mail.kind, to: recipient }, 'mail could not be sent');
        throw error;
      }
    },
    close() {
      closed ??= (async () => {
        await transport?.then((t) => t.close(), () => undefined);
        await capture?.stop();
      })();
      return closed;
    },
  };
}

/** "jane.doe@acme.com" → "j***@acme.com": enough to tell mails apart in a log, not to harvest addresses. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** The SMTP URL without credentials, for the start-up log. */
function describeSmtpUrl(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return '(unparseable SMTP_URL)';
  }
}
