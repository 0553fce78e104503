import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

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
