import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The protocol editor's form: the YAML as typed, and how many days of traffic to replay. */
export class ProtocolFormDto {
  @IsString({ message: 'source: paste or type the protocol as YAML' })
  @MaxLength(1_000_000, { message: 'source must be at most 1 MB' })
  source: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'days must be a whole number of days' })
  @Min(1, { message: 'days must be at least 1' })
  @Max(3650, { message: 'days must be at most 3650' })
  days?: number;
}

export class PublishFormDto {
  @Type(() => Number)
  @IsInt({ message: 'version must be a version number' })
  @Min(1, { message: 'version must be at least 1' })
  version: number;
}
