import { Module } from '@nestjs/common';
import { DoseRegistryModule } from '@krypton/dose-registry';
import { DoseAlertActions } from './dose-alert-actions.service';
import { DoseAlertsController } from './dose-alerts.controller';
import { DoseAnalysisController } from './dose-analysis.controller';
import { DoseHistoryController } from './dose-history.controller';

/** The dose registry's REST surface: patient history, site analyses, alerts. */
@Module({
  imports: [DoseRegistryModule],
  controllers: [DoseHistoryController, DoseAnalysisController, DoseAlertsController],
  providers: [DoseAlertActions],
  exports: [DoseAlertActions, DoseRegistryModule],
})
export class DoseApiModule {}
