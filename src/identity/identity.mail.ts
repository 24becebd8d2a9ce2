import type { OutgoingMail } from '../platform/mailer.js';

/**
 * The identity emails. Plain text plus a simple HTML part for now; the email work renders
 * them from MJML templates in emails/ with the same kinds and links.
 */
interface Recipient {
  email: string;
  firstName: string;
}

function link(publicUrl: string, path: string, token: string): string {
  return `${publicUrl}${path}?token=${encodeURIComponent(token)}`;
}

function html(paragraphs: string[], action: { label: string; url: string }): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}<p><a href="${esc(action.url)}">${esc(action.label)}</a></p></body></html>`;
}

export const identityMail = {
  verifyEmail(publicUrl: string, user: Recipient, token: string): OutgoingMail {
    const url = link(publicUrl, '/verify-email', token);
    const lines = [`Hello ${user.firstName},`, 'Please confirm your email address for Serenity. The link works once and expires in 24 hours.'];
    return {
      kind: 'verify-email',
      to: user.email,
      subject: 'Confirm your email address',
      text: `${lines.join('\n\n')}\n\n${url}\n\nIf you did not create an account, ignore this email.`,
      html: html(lines, { label: 'Confirm my email address', url }),
    };
  },

  passwordReset(publicUrl: string, user: Recipient, token: string): OutgoingMail {
    const url = link(publicUrl, '/reset-password', token);
    const lines = [`Hello ${user.firstName},`, 'Someone asked to reset the password of your Serenity account. The link works once and expires in 1 hour; using it signs out every device.'];
    return {
      kind: 'password-reset',
      to: user.email,
      subject: 'Reset your password',
      text: `${lines.join('\n\n')}\n\n${url}\n\nIf it was not you, ignore this email: your password stays as it is.`,
      html: html(lines, { label: 'Choose a new password', url }),
    };
  },

  invitation(publicUrl: string, to: string, inviter: { firstName: string; lastName: string }, organizationName: string, token: string): OutgoingMail {
    const url = link(publicUrl, '/accept-invitation', token);
    const lines = [
      `${inviter.firstName} ${inviter.lastName} invites you to join ${organizationName} on Serenity, to book consultations with its credits.`,
      'The invitation works once and expires in 7 days.',
    ];
    return {
      kind: 'invitation',
      to,
      subject: `Join ${organizationName} on Serenity`,
      text: `${lines.join('\n\n')}\n\n${url}`,
      html: html(lines, { label: `Join ${organizationName}`, url }),
    };
  },
};
