import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class RangeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({}, { message: 'min must be a number' })
  @Min(0)
  min?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({}, { message: 'max must be a number' })
  @Min(0)
  max?: number;
}

const DA = /^\d{8}$/;

/** Cohort criteria: catalogue, dose and pathway attributes only — there is no field for an identity. */
export class CohortDto {
  @ApiPropertyOptional({ example: ['CT'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'modalities must be text' })
  modalities?: string[];

  @ApiPropertyOptional({ example: ['CHEST'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true, message: 'bodyParts must be text' })
  bodyParts?: string[];

  @ApiPropertyOptional({ description: 'Procedure codes of the exam requests' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  procedureCodes?: string[];

  @ApiPropertyOptional({ example: '20230101' })
  @IsOptional()
  @Matches(DA, { message: 'studyDateFrom must be YYYYMMDD' })
  studyDateFrom?: string;

  @ApiPropertyOptional({ example: '20231231' })
  @IsOptional()
  @Matches(DA, { message: 'studyDateTo must be YYYYMMDD' })
  studyDateTo?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  sites?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt({ message: 'ageMin must be whole years' })
  @Min(0)
  @Max(150)
  ageMin?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInt({ message: 'ageMax must be whole years' })
  @Min(0)
  @Max(150)
  ageMax?: number;

  @ApiPropertyOptional({ type: RangeDto, description: 'CTDIvol (max of the exam), mGy' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RangeDto)
  ctdivolMgy?: RangeDto;

  @ApiPropertyOptional({ type: RangeDto, description: 'DLP (total of the exam), mGy·cm' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RangeDto)
  dlpMgyCm?: RangeDto;

  @ApiPropertyOptional({ type: RangeDto, description: 'DAP (total of the exam), Gy·m²' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RangeDto)
  dapGyM2?: RangeDto;
}

export class PixelRegionDto {
  @ApiProperty()
  @IsInt()
  @Min(0)
  x: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  y: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  width: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  height: number;
}

/** Blank these regions on the images of one device instead of quarantining them (burned-in text). */
export class PixelCleaningRuleDto {
  @ApiPropertyOptional({ description: 'Manufacturer (0008,0070)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  manufacturer?: string;

  @ApiPropertyOptional({ description: "Manufacturer's Model Name (0008,1090)" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  model?: string;

  @ApiPropertyOptional({ description: 'SOP Class UID' })
  @IsOptional()
  @Matches(/^[0-9.]{1,64}$/, { message: 'sopClassUid must be a UID' })
  sopClassUid?: string;

  @ApiProperty({ type: [PixelRegionDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'regions must list at least one rectangle' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PixelRegionDto)
  regions: PixelRegionDto[];
}

export class SubmitProjectDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'title must not be empty' })
  @MaxLength(300)
  title: string;

  @ApiProperty({ description: 'Protocol reference (e.g. the study protocol number)' })
  @IsString()
  @IsNotEmpty({ message: 'protocolReference must not be empty' })
  @MaxLength(200)
  protocolReference: string;

  @ApiProperty({ description: 'Ethics committee approval reference' })
  @IsString()
  @IsNotEmpty({ message: 'ethicsApprovalReference must not be empty' })
  @MaxLength(200)
  ethicsApprovalReference: string;

  @ApiProperty({ type: CohortDto })
  @ValidateNested()
  @Type(() => CohortDto)
  cohort: CohortDto;

  @ApiPropertyOptional({ description: 'PS3.15 Options, e.g. ["retain-longitudinal-modified-dates","clean-descriptors"]; default: modified dates and patient characteristics' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  options?: string[];

  @ApiPropertyOptional({ type: [PixelCleaningRuleDto], description: 'Devices whose burned-in text is blanked instead of quarantining their images' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PixelCleaningRuleDto)
  pixelCleaning?: PixelCleaningRuleDto[];
}

export class AmendProjectDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  protocolReference?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  ethicsApprovalReference?: string;

  @ApiPropertyOptional({ type: CohortDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CohortDto)
  cohort?: CohortDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  options?: string[];
}

export class DecisionDto {
  @ApiProperty({ description: "The committee's note (reason, conditions, changes asked for)" })
  @IsString({ message: 'note must be text' })
  @MaxLength(5000)
  note: string;
}
