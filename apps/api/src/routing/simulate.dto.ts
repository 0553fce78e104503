import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Either a draft (protocol, YAML text or object) or a stored version (protocolId, version). */
export class SimulateDto {
  @ApiPropertyOptional({ description: 'A protocol document (YAML text or JSON object) not saved yet' })
  @IsOptional()
  protocol?: unknown;

  @ApiPropertyOptional({ description: 'A stored protocol; its live version unless version is given' })
  @ValidateIf((o) => o.protocol === undefined)
  @IsString({ message: 'protocolId or protocol is required' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'protocolId must be lower-case letters, digits and dashes' })
  protocolId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt({ message: 'version must be an integer' })
  @Min(1, { message: 'version must be at least 1' })
  version?: number;

  @ApiPropertyOptional({ default: 30, description: 'Replay the studies that arrived in the last N days' })
  @IsOptional()
  @IsInt({ message: 'days must be an integer' })
  @Min(1, { message: 'days must be at least 1' })
  @Max(3650, { message: 'days must be at most 3650' })
  days?: number;

  @ApiPropertyOptional({ default: 1000, description: 'How many matching studies to list (all are counted)' })
  @IsOptional()
  @IsInt({ message: 'list must be an integer' })
  @Min(0, { message: 'list must not be negative' })
  @Max(10000, { message: 'list must be at most 10000' })
  list?: number;
}
