import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '../common/page-query.dto';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PATHWAY_STATES, PathwayState, RequestPriority } from '@krypton/pathway';
import { PRIORITIES } from './new-request.dto';

export class RequestQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'KR0A1B2C3D' })
  @IsOptional()
  @IsString()
  @MaxLength(16, { message: 'accessionNumber must be at most 16 characters' })
  accessionNumber?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64, { message: 'placerOrderNumber must be at most 64 characters' })
  placerOrderNumber?: string;

  @ApiPropertyOptional({ enum: PATHWAY_STATES })
  @IsOptional()
  @IsIn(PATHWAY_STATES, { message: `state must be one of ${PATHWAY_STATES.join(', ')}` })
  state?: PathwayState;

  @ApiPropertyOptional({ description: 'Scheduled site, or target site while not scheduled' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'site must be a configured site id' })
  site?: string;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES, { message: 'priority must be one of routine, urgent, emergency' })
  priority?: RequestPriority;
}

/** Query strings carry text: "true"/"false" become booleans, anything else stays and fails validation with a message. */
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The coordinator's list: the request filters plus what needs a coordinator. */
export class PathwayQueryDto extends RequestQueryDto {
  @ApiPropertyOptional({ description: 'Only pathways whose reading deadline has passed (true) or not (false)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'slaBreached must be true or false' })
  slaBreached?: boolean;

  @ApiPropertyOptional({ description: 'Only pathways waiting on a coordinator (to schedule, acquisition problem, procedure to map, results undeliverable)' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'waitingOnOperator must be true or false' })
  waitingOnOperator?: boolean;

  @ApiPropertyOptional({ description: 'Reading pool' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'readingPool must be a configured pool id' })
  readingPool?: string;
}
