import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsNumber, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class ReviewDto {
  @ApiProperty({ description: "The physicist's analysis (estimated skin dose, geometry, cumulative context...)" })
  @IsString({ message: 'analysis must be text' })
  @IsNotEmpty({ message: 'analysis must not be empty' })
  @MaxLength(10000)
  analysis: string;

  @ApiProperty({ description: 'Whether the patient needs clinical follow-up' })
  @IsBoolean({ message: 'followUpRequired must be true or false' })
  followUpRequired: boolean;

  @ApiPropertyOptional({ description: 'Estimated peak skin dose, Gy' })
  @IsOptional()
  @IsNumber({}, { message: 'estimatedSkinDose_Gy must be a number' })
  @Min(0, { message: 'estimatedSkinDose_Gy must not be negative' })
  estimatedSkinDose_Gy?: number;
}

export class FollowUpDto {
  @ApiProperty({ example: 'patient informed; dermatology consultation at 2-4 weeks' })
  @IsString({ message: 'action must be text' })
  @IsNotEmpty({ message: 'action must not be empty' })
  @MaxLength(500)
  action: string;

  @ApiProperty()
  @IsString({ message: 'note must be text' })
  @MaxLength(10000)
  note: string;
}
