import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

export class OperatorActionDto {
  @ApiProperty({ enum: ['retry', 'skip', 'reroute'] })
  @IsIn(['retry', 'skip', 'reroute'], { message: 'action must be retry, skip or reroute' })
  action!: 'retry' | 'skip' | 'reroute';

  @ApiPropertyOptional({ description: 'For reroute: the configured destination to send to instead' })
  @ValidateIf((o) => o.action === 'reroute')
  @IsString({ message: 'destination is required for reroute' })
  destination?: string;

  @ApiPropertyOptional({ description: 'For skip: why, kept in the routing' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class PublishDto {
  @ApiPropertyOptional({ description: 'The version to make live; the latest when absent' })
  @IsOptional()
  version?: number;
}
