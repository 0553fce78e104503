import { Module } from '@nestjs/common';
import { KRYPTON_CONFIG, KryptonConfig, SHARING_LOCALES } from '@krypton/config';
import { ShareStore } from '../share.store';
import { Mailer } from './mailer';
import { SharingTemplates } from './mail-templates';
import { ShareNotifier } from './share-notifier';

/** What sends sharing's e-mails, for the api and for the worker that runs the share-notify queue (no access or auth module needed). */
@Module({
  providers: [
    ShareNotifier,
    ShareStore,
    Mailer,
    { provide: SharingTemplates, inject: [KRYPTON_CONFIG], useFactory: (cfg: KryptonConfig) => new SharingTemplates(cfg.sharing.mail.templatesDir, SHARING_LOCALES) },
  ],
  exports: [ShareNotifier, ShareStore, Mailer, SharingTemplates],
})
export class SharingMailModule {}
