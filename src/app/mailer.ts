import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { AttachmentResolvers, Deliverer, EmailMessage } from './outbox.js';

/**
 * Delivers outbox email over SMTP. Without SMTP_URL nothing is sent: the message is
 * logged (recipient and subject only) and kept in the outbox as `held`.
 */
export function createMailDeliverer(opts: {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
  resolvers?: AttachmentResolvers;
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
  const smtpUrl = opts.smtpUrl;
  // nodemailer is loaded on first use: an install without SMTP never pays for it.
  let transport: Transporter | undefined;
  return {
    async email(message: EmailMessage) {
      transport ??= (await import('nodemailer')).default.createTransport(smtpUrl);
      const made = await Promise.all(
        (message.attachmentRefs ?? []).map((ref) => {
          const resolve = opts.resolvers?.[ref.kind];
          if (!resolve) throw new Error(`no attachment resolver for ${ref.kind}`);
          return resolve(ref.id);
        }),
      );
      await transport.sendMail({
        from: opts.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        attachments: [
          ...(message.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.contentBase64, 'base64'),
          })),
          ...made,
        ],
      });
      return true;
    },
  };
}
