import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { KRYPTON_CONFIG, KryptonConfig, SmtpConfig } from '@krypton/config';
import { MailNotSentError } from '../sharing-errors';
import type { RenderedMail } from './mail-templates';

/** The password of the relay, read from the variable the configuration names (never from the YAML). */
function smtpPassword(smtp: SmtpConfig): string | undefined {
  if (!smtp.passwordEnv) return undefined;
  const v = process.env[smtp.passwordEnv];
  if (!v) throw new Error(`sharing.mail.smtp.passwordEnv: the variable ${smtp.passwordEnv} is not set`);
  return v;
}

/**
 * Sends sharing's e-mails through the configured SMTP relay (nodemailer). Without a relay,
 * `enabled` is false and callers record that nothing was sent.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly log = new Logger('Mailer');
  private readonly transport: Transporter | null;
  readonly from: string;

  constructor(@Inject(KRYPTON_CONFIG) cfg: KryptonConfig) {
    const smtp = cfg.sharing.mail.smtp;
    this.from = cfg.sharing.mail.from;
    this.transport = smtp
      ? createTransport({
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          requireTLS: smtp.requireTls,
          auth: smtp.user ? { user: smtp.user, pass: smtpPassword(smtp) } : undefined,
          connectionTimeout: smtp.timeoutSeconds * 1000,
          greetingTimeout: smtp.timeoutSeconds * 1000,
          socketTimeout: smtp.timeoutSeconds * 1000,
        })
      : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  /** Resolves once the relay accepted the message for every recipient; rejects with MailNotSentError otherwise. */
  async send(to: readonly string[], mail: RenderedMail): Promise<void> {
    if (!this.transport) throw new MailNotSentError('no SMTP relay is configured (sharing.mail.smtp)', to);
    try {
      const info = await this.transport.sendMail({ from: this.from, to: [...to], subject: mail.subject, text: mail.text });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length) throw new MailNotSentError(`the relay refused ${rejected.join(', ')}`, rejected);
      this.log.debug({ to, messageId: info.messageId }, 'mail sent');
    } catch (e) {
      if (e instanceof MailNotSentError) throw e;
      throw new MailNotSentError(`the SMTP relay did not take the message: ${(e as Error).message}`, to);
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
