import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LegalHoldDto {
  @ApiProperty({ example: 'Litigation 2026-114, tribunal judiciaire de Lille', description: 'Why the study must not be deleted (kept in the audit trail)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}
