import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ACCESS_CLOCK, Clock, SYSTEM_CLOCK } from '@krypton/access';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { ShareStore, NotifyState } from '../share.store';
import { Mailer } from './mailer';
import { SharingTemplates } from './mail-templates';
import { publicUrl } from '../public-url';

/**
 * Announces a share to its recipient by e-mail (the worker runs it from the share-notify queue;
 * a failure is recorded on the share and rethrown so the queue retries). The mail says who shared
 * what kind of access until when and where to open it — never the patient's name or the sharer's
 * message: plain e-mail is no secure health messaging (MSSanté), the hub shows those after sign-in.
 */
@Injectable()
export class ShareNotifier {
  private readonly log = new Logger('ShareNotifier');

  constructor(
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    private readonly shares: ShareStore,
    private readonly mailer: Mailer,
    private readonly templates: SharingTemplates,
    @Optional() @Inject(ACCESS_CLOCK) private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  async notify(shareId: string): Promise<NotifyState | 'revoked' | 'unknown'> {
    const share = await this.shares.get(shareId);
    if (!share) return 'unknown';
    if (share.revokedAt) return 'revoked';
    if (share.notification.state === 'sent') return 'sent';
    const now = this.clock.now();
    if (!share.notification.to.length) {
      await this.shares.notified(shareId, 'no-address', now);
      return 'no-address';
    }
    if (!this.mailer.enabled) {
      await this.shares.notified(shareId, 'no-relay', now);
      return 'no-relay';
    }
    const locale = this.cfg.sharing.mail.locale;
    const mail = this.templates.mail('share-notification', locale, {
      sharedBy: share.createdBy,
      recipient: share.to.value,
      recipientKind: share.to.kind,
      exams: share.studyInstanceUids.length,
      download: share.rights === 'download',
      expiresAt: new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeZone: this.cfg.dicom.timeZone }).format(new Date(share.expiresAt)),
      hasMessage: !!share.message,
      url: `${publicUrl(this.cfg)}/viewer?StudyInstanceUIDs=${encodeURIComponent(share.studyInstanceUids.join(','))}`,
    });
    try {
      await this.mailer.send(share.notification.to, mail);
    } catch (e) {
      await this.shares.notified(shareId, 'failed', now, (e as Error).message);
      this.log.warn({ shareId, err: (e as Error).message }, 'share notification not sent; the queue retries');
      throw e;
    }
    await this.shares.notified(shareId, 'sent', now);
    return 'sent';
  }

  /** The queue tried `attempts` times and stops: the share keeps `failed`, with why it gave up. */
  async gaveUp(shareId: string, attempts: number, error: string): Promise<void> {
    const share = await this.shares.get(shareId);
    if (!share || share.notification.state === 'sent') return;
    await this.shares.notified(shareId, 'failed', this.clock.now(), `gave up after ${attempts} attempts: ${error}`);
  }
}
