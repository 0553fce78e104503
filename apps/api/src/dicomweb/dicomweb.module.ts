import { Module } from '@nestjs/common';
import { IngestModule } from '@krypton/ingest';
import { DicomwebStoreService } from './dicomweb-store.service';
import { QidoController } from './qido.controller';
import { StowController } from './stow.controller';
import { WadoController } from './wado.controller';

/**
 * DICOMweb (QIDO-RS, WADO-RS, STOW-RS) under /dicomweb. Needs the global Config, Catalog, Storage
 * and Queue modules of the importing app; the global AuthGuard protects every route.
 */
@Module({
  imports: [IngestModule],
  controllers: [QidoController, StowController, WadoController],
  providers: [DicomwebStoreService],
})
export class DicomwebModule {}
