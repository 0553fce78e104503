import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { RequestPriority } from '@krypton/pathway';
import { PRIORITIES } from './new-request.dto';

export class ScheduleRequestDto {
  @ApiProperty({ example: 'chu-nord' })
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'site must be a configured site id' })
  site: string;

  @ApiProperty({ example: 'MODALITY1', description: 'A configured modality AE of the site (AE title or name)' })
  @IsString({ message: 'aeTitle must be text' })
  @IsNotEmpty({ message: 'aeTitle must not be empty' })
  @MaxLength(64, { message: 'aeTitle must be at most 64 characters' })
  aeTitle: string;

  @ApiProperty({ example: '2026-12-01T09:30:00+01:00' })
  // An offset is required: a worklist spans sites and a bare local time is ambiguous at DST changes.
  @IsISO8601({ strict: true }, { message: 'scheduledAt must be an ISO 8601 date-time' })
  @Matches(/(Z|[+-]\d{2}:?\d{2})$/, { message: 'scheduledAt must carry a time-zone offset (Z or ±hh:mm)' })
  scheduledAt: string;
}

export class CancelRequestDto {
  @ApiPropertyOptional({ example: 'patient declined' })
  @IsOptional()
  @IsString({ message: 'reason must be text' })
  @MaxLength(1024, { message: 'reason must be at most 1024 characters' })
  reason?: string;
}

/** A change of the order in flight; at least one field (the pathway says which is missing). */
export class ChangeRequestDto {
  @ApiPropertyOptional({ enum: PRIORITIES, description: 'The reading deadline follows the new priority' })
  @IsOptional()
  @IsIn(PRIORITIES, { message: 'priority must be one of routine, urgent, emergency' })
  priority?: RequestPriority;

  @ApiPropertyOptional({ example: 'ZBQK002', description: 'Maps an unmapped code, or corrects the procedure (unknown codes are flagged, not refused)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{1,16}$/, { message: 'procedureCode must be 1-16 letters or digits' })
  procedureCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'clinicalInformation must be text' })
  @MaxLength(4096, { message: 'clinicalInformation must be at most 4096 characters' })
  clinicalInformation?: string;
}
