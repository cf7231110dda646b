import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Deliverer, EmailMessage } from './outbox.js';

/**
 * Delivers outbox email over SMTP. Without SMTP_URL nothing is sent: the message is
 * logged (recipient and subject only) and kept in the outbox as `held`.
 */
export function createMailDeliverer(opts: {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
}): Deliverer {
  if (!opts.smtpUrl) {
    return {
      email(message: EmailMessage) {
        opts.logger.info(
          { to: message.to, subject: message.subject },
          'mail held: no SMTP_URL configured',
        );
        return Promise.resolve(false);
      },
    };
  }
  const transport = nodemailer.createTransport(opts.smtpUrl);
  return {
    async email(message: EmailMessage) {
      await transport.sendMail({
        from: opts.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.attachments
          ? {
              attachments: message.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.contentBase64, 'base64'),
              })),
            }
          : {}),
      });
      return true;
    },
  };
}
