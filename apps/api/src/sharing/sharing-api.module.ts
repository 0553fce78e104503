import { Module } from '@nestjs/common';
import { SharingModule } from '@krypton/sharing';
import { LinkPageController } from './link-page.controller';
import { OppositionController } from './opposition.controller';
import { PatientLinksController } from './patient-links.controller';
import { SharesController } from './shares.controller';

/** Sharing's HTTP doors: shares, patient links and their page, a patient's opposition. */
@Module({
  imports: [SharingModule],
  controllers: [SharesController, PatientLinksController, OppositionController, LinkPageController],
})
export class SharingApiModule {}
