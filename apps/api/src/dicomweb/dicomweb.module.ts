import { Module } from '@nestjs/common';

/** DICOMweb (QIDO-RS, WADO-RS, STOW-RS); routes are added by the DICOMweb controllers. */
@Module({})
export class DicomwebModule {}
