import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

const TASK_STATES = ['open', 'claimed', 'signed', 'cancelled'] as const;

export class ReadingTaskQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: "One of the caller's pools (default: all of them)" })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'pool must be a configured pool id' })
  pool?: string;

  @ApiPropertyOptional({ enum: TASK_STATES, description: 'Default: open and claimed tasks are both listed' })
  @IsOptional()
  @IsIn(TASK_STATES, { message: `state must be one of ${TASK_STATES.join(', ')}` })
  state?: (typeof TASK_STATES)[number];

  @ApiPropertyOptional({ description: 'true: only the tasks the caller holds' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'mine must be true or false' })
  mine?: 'true' | 'false';
}

/** Report text: 64 KiB per part is far beyond any radiology report and bounds what a draft may hold. */
export class ReportTextDto {
  @ApiPropertyOptional({ example: 'Pas de lésion pleuro-parenchymateuse.' })
  @IsOptional()
  @IsString({ message: 'findings must be text' })
  @MaxLength(65536, { message: 'findings must be at most 65536 characters' })
  findings?: string;

  @ApiPropertyOptional({ example: 'Examen normal.' })
  @IsOptional()
  @IsString({ message: 'conclusion must be text' })
  @MaxLength(65536, { message: 'conclusion must be at most 65536 characters' })
  conclusion?: string;

  @ApiPropertyOptional({ example: 'Acquisition hélicoïdale sans injection.' })
  @IsOptional()
  @IsString({ message: 'technique must be text' })
  @MaxLength(65536, { message: 'technique must be at most 65536 characters' })
  technique?: string;
}
