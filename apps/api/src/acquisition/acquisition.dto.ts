import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import type { RequestPriority } from '@krypton/pathway';
import { PRIORITIES } from '../requests/new-request.dto';

export class AttachStudyDto {
  @ApiProperty({ description: 'The request the study belongs to' })
  @IsUUID('all', { message: 'requestId must be a request id (UUID)' })
  requestId: string;
}

export class RegisterUnscheduledDto {
  @ApiProperty({ example: 'ZBQK002', description: 'Procedure code (unknown codes are accepted and flagged for mapping)' })
  @Matches(/^[A-Za-z0-9]{1,16}$/, { message: 'procedureCode must be 1-16 letters or digits' })
  procedureCode: string;

  @ApiProperty({ enum: PRIORITIES })
  @IsIn(PRIORITIES, { message: 'priority must be one of routine, urgent, emergency' })
  priority: RequestPriority;

  @ApiPropertyOptional({ description: "Site of the exam; default: the sending modality's site" })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'site must be a configured site id' })
  site?: string;
}
