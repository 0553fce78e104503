import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class SendStudyDto {
  @ApiProperty({ example: 'ORTHANC', description: 'Name of a configured destination AE' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  destination: string;

  @ApiProperty({ required: false, description: 'Client-chosen id that makes a resent request idempotent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'requestId must be 1-64 letters, digits, dot, dash or underscore' })
  requestId?: string;
}
