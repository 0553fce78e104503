import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { FollowUpDto, ReviewDto } from '../../dose/dose-alert-answer.dto';

/**
 * The review as a form posts it: a checkbox is "on" or absent, a number is text (empty when not
 * given). The REST DTO's rules then apply unchanged.
 */
export class ReviewFormDto extends ReviewDto {
  @Transform(({ value }) => value === 'on' || value === 'true' || value === true)
  declare followUpRequired: boolean;

  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : Number(String(value).replace(',', '.'))))
  declare estimatedSkinDose_Gy?: number;
}

export class FollowUpFormDto extends FollowUpDto {}
