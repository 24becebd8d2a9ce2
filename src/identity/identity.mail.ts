import { emailTemplates } from '../platform/email-templates.js';
import type { OutgoingMail } from '../platform/mailer.js';

/**
 * The identity emails, rendered from emails/verify-email, password-reset and invitation (MJML
 * plus a plain-text part). AuthService sends them itself once its transaction has committed.
 */
interface Recipient {
  email: string;
  firstName: string;
}

function link(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}?token=${encodeURIComponent(token)}`;
}

async function mail(kind: string, to: string, subject: string, data: Record<string, unknown> & { publicUrl: string }): Promise<OutgoingMail> {
  const { html, text } = (await emailTemplates()).render(kind, { subject, preview: subject, ...data });
  return { kind, to, subject, text, html };
}

export const identityMail = {
  verifyEmail(publicUrl: string, user: Recipient, token: string): Promise<OutgoingMail> {
    const url = link(publicUrl, '/verify-email', token);
    return mail('verify-email', user.email, 'Confirm your email address', { publicUrl, firstName: user.firstName, url });
  },

  passwordReset(publicUrl: string, user: Recipient, token: string): Promise<OutgoingMail> {
    const url = link(publicUrl, '/reset-password', token);
    return mail('password-reset', user.email, 'Reset your password', { publicUrl, firstName: user.firstName, url });
  },

  invitation(publicUrl: string, to: string, inviter: { firstName: string; lastName: string }, organizationName: string, token: string): Promise<OutgoingMail> {
    const url = link(publicUrl, '/accept-invitation', token);
    const inviterName = `${inviter.firstName} ${inviter.lastName}`;
    return mail('invitation', to, `Join ${organizationName} on Serenity`, { publicUrl, inviterName, organizationName, url });
  },
};
