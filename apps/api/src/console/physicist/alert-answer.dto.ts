import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { FollowUpDto, ReviewDto } from '../../dose/dose-alert-answer.dto';

/** A checkbox after a hidden "false" of the same name: ["false", "on"] when ticked, "false" when not. */
const ticked = (value: unknown): boolean => (Array.isArray(value) ? value : [value]).some((v) => v === 'on' || v === 'true' || v === true);

/**
 * The review as a form posts it: the checkbox comes with a hidden "false" (an unticked checkbox
 * sends nothing), a number is text (empty when not given). The REST DTO's rules then apply unchanged.
 */
export class ReviewFormDto extends ReviewDto {
  @Transform(({ value }) => ticked(value))
  declare followUpRequired: boolean;

  @IsOptional()
  @Transform(({ value }) => (value === '' || value === undefined ? undefined : Number(String(value).replace(',', '.'))))
  declare estimatedSkinDose_Gy?: number;
}

export class FollowUpFormDto extends FollowUpDto {}
