/** Notifications in tests: outbox rows, the in-app sender, a compose without templates, a scripted SMTP server. */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import type { ComposedMessage } from '../../src/notifications/dispatch.types.js';
import { createInAppSender } from '../../src/notifications/in-app.sender.js';
import { DeliveryChannel, MessageKind, RecipientSide, SubjectType } from '../../src/notifications/notification.enums.js';
import { enqueue, type OutboxMessage } from '../../src/notifications/outbox.js';
import { DomainEvents } from '../../src/platform/events.js';

export function composedFor(title: string): ComposedMessage {
  return { subject: title, html: `<p>${title}</p>`, text: title, inApp: { title, body: `About: ${title}`, link: 'https://app.serenity.test/consultations/1' } };
}

/** Decides an IN_APP message to `userId` (a fresh subject each call) and returns its delivery row. */
export async function inAppDelivery(em: EntityManager, userId: string, kind: MessageKind = MessageKind.SESSION_COMPLETED, channel: DeliveryChannel = DeliveryChannel.IN_APP): Promise<NotificationDelivery> {
  const subjectId = randomUUID();
  await em.transactional((tx) =>
    enqueue(tx, [{ subject: { type: SubjectType.CONSULTATION, id: subjectId }, kind, channel, side: RecipientSide.CLIENT, recipient: { userId }, dueAt: new Date() }]),
  );
  return em.fork().findOneOrFail(NotificationDelivery, { subjectId });
}

/** A notification in `userId`'s inbox, made the way the dispatcher makes one; returns the delivery. */
export async function notify(em: EntityManager, userId: string, title: string, options: { kind?: MessageKind; events?: DomainEvents; at?: Date } = {}): Promise<NotificationDelivery> {
  const delivery = await inAppDelivery(em, userId, options.kind);
  const send = createInAppSender(options.events ?? new DomainEvents({}), options.at ? () => options.at! : undefined);
  await em.fork().transactional((tx) => send(tx, delivery, composedFor(title)));
  return delivery;
}


/** The tests' compose: the facts the assertions need, no templates. */
export async function testCompose(_em: unknown, delivery: NotificationDelivery): Promise<ComposedMessage> {
  return {
    subject: `${delivery.kind} for ${delivery.recipientKey}`,
    text: `Delivery ${delivery.id}`,
    html: `<p>Delivery ${delivery.id}</p>`,
    inApp: { title: delivery.kind, body: delivery.id, link: null },
  };
}

/** An email message to an address, due at `dueAt`, about a fresh subject. */
export function emailTo(email: string, dueAt: Date, kind: MessageKind = MessageKind.BOOKING_CONFIRMED): OutboxMessage {
  return {
    subject: { type: SubjectType.CONSULTATION, id: randomUUID() },
    kind,
    channel: DeliveryChannel.EMAIL,
    side: RecipientSide.ATTENDEE,
    recipient: { email },
    dueAt,
  };
}

/**
 * A real SMTP server that answers each message's DATA with `answer()` — an SMTP code — e.g. 451
 * (try again later) first and then 250. Messages it accepts are counted, not kept.
 */
export async function startScriptedSmtp(answer: () => number): Promise<{ port: number; accepted: () => number; answered: number[]; stop(): Promise<void> }> {
  let accepted = 0;
  const answered: number[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const code = answer();
        answered.push(code);
        if (code < 400) {
          accepted += 1;
          callback();
          return;
        }
        const error = Object.assign(new Error(code < 500 ? 'Try again later' : 'Mailbox unavailable'), { responseCode: code });
        callback(error);
      });
    },
  });
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  return { port, accepted: () => accepted, answered, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
