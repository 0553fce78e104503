import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { Authenticator } from '@krypton/auth';
import { SharingMailModule } from './mail/sharing-mail.module';
import { LINK_SESSION_PREFIX } from './links/link-secrets';
import { PatientLinkService } from './links/patient-link.service';
import { PatientLinkStore } from './links/patient-link.store';
import { OppositionService } from './opposition.service';
import { SharingService } from './sharing.service';

/**
 * Sharing for Nest apps (api, worker, a web console in-process): needs the app's ConfigModule,
 * DatabaseModule, AccessModule, AuthModule and QueueModule. Registers the patient links' viewer
 * sessions with the authenticator.
 */
@Module({
  imports: [SharingMailModule],
  providers: [SharingService, PatientLinkService, OppositionService, PatientLinkStore],
  exports: [SharingService, PatientLinkService, OppositionService, SharingMailModule],
})
export class SharingModule implements OnModuleInit {
  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    private readonly links: PatientLinkService,
  ) {}

  onModuleInit(): void {
    this.authenticator.registerSessions({ prefix: LINK_SESSION_PREFIX, resolve: (t) => this.links.sessionPrincipal(t) });
  }
}
