import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/;

/** Exactly one of the three (the controller checks the count, naming the field). */
export class ShareRecipientDto {
  @ApiPropertyOptional({ description: 'A professional by RPPS number (11 digits)', example: '10000000002' })
  @IsOptional()
  @Matches(/^\d{11}$/, { message: 'to.rpps must be an RPPS number (11 digits)' })
  rpps?: string;

  @ApiPropertyOptional({ description: 'A site id of the configuration', example: 'clinique-sud' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'to.site must be a site id' })
  site?: string;

  @ApiPropertyOptional({ description: 'An organisation by FINESS number (9 digits): every site of it', example: '000000002' })
  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'to.organisation must be a FINESS number (9 digits)' })
  organisation?: string;
}

export class NewShareDto {
  @ApiPropertyOptional({ description: 'The study to share (or give patient)' })
  @IsOptional()
  @Matches(UID, { message: 'studyInstanceUid must be a DICOM UID' })
  @MaxLength(64)
  studyInstanceUid?: string;

  @ApiPropertyOptional({ description: 'Every exam of this patient that the caller may share: INS (15 digits) or issuer|patientId (or give studyInstanceUid)' })
  @IsOptional()
  @IsString()
  @Matches(/^(\d{15}|[^|]+\|.+)$/, { message: 'patient must be an INS (15 digits) or issuer|patientId' })
  @MaxLength(200)
  patient?: string;

  @ApiProperty({ type: ShareRecipientDto })
  @ValidateNested()
  @Type(() => ShareRecipientDto)
  to!: ShareRecipientDto;

  @ApiProperty({ enum: ['view', 'download'], description: 'view: metadata and images in the viewer; download: also the files' })
  @IsIn(['view', 'download'], { message: 'rights must be view or download' })
  rights!: 'view' | 'download';

  @ApiPropertyOptional({ description: 'ISO 8601; default and upper bound: sharing.maxShareDays from now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;

  @ApiPropertyOptional({ description: 'Shown to the recipient in the hub (not in the e-mail)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  message?: string;
}

export class ShareQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'The shares of this study; without it, the shares the caller made' })
  @IsOptional()
  @Matches(UID, { message: 'studyInstanceUid must be a DICOM UID' })
  studyInstanceUid?: string;
}

export class NewLinkDto {
  @ApiProperty()
  @Matches(UID, { message: 'studyInstanceUid must be a DICOM UID' })
  @MaxLength(64)
  studyInstanceUid!: string;

  @ApiProperty({ enum: ['birth-date', 'code'], description: 'What the patient answers: their birth date (as the catalogue holds it), or a one-time code e-mailed to `email`' })
  @IsIn(['birth-date', 'code'], { message: 'secondFactor must be birth-date or code' })
  secondFactor!: 'birth-date' | 'code';

  @ApiPropertyOptional({ description: 'ISO 8601; default sharing.links.defaultDays, at most sharing.links.maxDays from now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;

  @ApiPropertyOptional({ description: 'Where the one-time code is sent (secondFactor code)' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  email?: string;
}

export class LinkQueryDto {
  @ApiPropertyOptional({ description: "The links of this study; without it, a patient's own links" })
  @IsOptional()
  @Matches(UID, { message: 'studyInstanceUid must be a DICOM UID' })
  studyInstanceUid?: string;
}

export class OpenLinkDto {
  @ApiProperty({ description: 'The birth date (1961-03-14, 14/03/1961) or the six-digit code' })
  @IsString()
  @IsNotEmpty({ message: 'answer must not be empty' })
  @MaxLength(32)
  answer!: string;
}

export class OppositionDto {
  @ApiProperty({ description: 'true: the patient objects to any sharing of their exams; false: lifts it' })
  @IsBoolean({ message: 'opposed must be true or false' })
  opposed!: boolean;

  @ApiPropertyOptional({ description: 'How it was expressed (form, letter, desk)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}
