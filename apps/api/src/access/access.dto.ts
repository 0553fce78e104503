import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

export class EmergencyAccessDto {
  @ApiProperty({ description: 'The study to open' })
  @IsString()
  @Matches(UID, { message: 'studyInstanceUid must be a DICOM UID' })
  @MaxLength(64)
  studyInstanceUid!: string;

  @ApiProperty({ description: 'Why the rules must be overridden (shown to the patient in their access log)' })
  @IsString()
  @IsNotEmpty({ message: 'reason must not be empty' })
  @MaxLength(1000)
  reason!: string;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'INS or issuer|patientId' })
  @IsOptional()
  @IsString()
  patient?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(UID, { message: 'studyInstanceUid must be a DICOM UID' })
  studyInstanceUid?: string;

  @ApiPropertyOptional({ description: 'User id (or ae:<AE title> for a DICOM peer)' })
  @IsOptional()
  @IsString()
  user?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  @IsOptional()
  @IsISO8601({}, { message: 'since must be an ISO 8601 date-time' })
  since?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @IsOptional()
  @IsISO8601({}, { message: 'until must be an ISO 8601 date-time' })
  until?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

/** FHIR search parameters of AuditEvent (BALP): patient and entity-identifier. */
export class FhirAuditQueryDto {
  @ApiPropertyOptional({ description: 'Patient INS (or system|value with the INS-NIR system), or issuer|patientId' })
  @IsOptional()
  @IsString()
  patient?: string;

  @ApiPropertyOptional({ name: 'entity-identifier', description: 'Study Instance UID (urn:dicom:uid|urn:oid:<uid> or the bare UID)' })
  @IsOptional()
  @IsString()
  'entity-identifier'?: string;

  @ApiPropertyOptional({ name: '_count', default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  _count?: number;
}
