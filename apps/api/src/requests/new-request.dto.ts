import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsNotEmptyObject, IsOptional, IsString, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import type { NewRequest, RequestPriority } from '@krypton/pathway';

export const PRIORITIES: readonly RequestPriority[] = ['routine', 'urgent', 'emergency'];

// Messages start with the property name: Nest prefixes nested errors with their parent path,
// so the client reads "patient.identifiers.0.issuer must not be empty".

export class PatientIdentifierDto {
  @ApiProperty({ example: 'IPP-123456' })
  @IsString({ message: 'value must be text' })
  @IsNotEmpty({ message: 'value must not be empty' })
  @MaxLength(64, { message: 'value must be at most 64 characters' })
  value: string;

  @ApiProperty({ example: '000000001', description: 'Assigning authority: a FINESS or an OID' })
  @IsString({ message: 'issuer must be text' })
  @IsNotEmpty({ message: 'issuer must not be empty' })
  @MaxLength(128, { message: 'issuer must be at most 128 characters' })
  issuer: string;
}

export class RequestPatientDto {
  @ApiPropertyOptional({ example: '279035121518989', description: 'INS-NIR (15 characters)' })
  @IsOptional()
  @Matches(/^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/, { message: 'ins must be an INS: 15 characters (NIR and key)' })
  ins?: string;

  @ApiProperty({ type: [PatientIdentifierDto] })
  @IsArray({ message: 'identifiers must be a list' })
  @ArrayMaxSize(20, { message: 'identifiers must have at most 20 entries' })
  @ValidateNested({ each: true })
  @Type(() => PatientIdentifierDto)
  identifiers: PatientIdentifierDto[];

  @ApiProperty({ example: 'DUPONT' })
  @IsString({ message: 'familyName must be text' })
  @IsNotEmpty({ message: 'familyName must not be empty' })
  @MaxLength(64, { message: 'familyName must be at most 64 characters' })
  familyName: string;

  @ApiPropertyOptional({ example: 'Marie' })
  @IsOptional()
  @IsString({ message: 'givenName must be text' })
  @MaxLength(64, { message: 'givenName must be at most 64 characters' })
  givenName?: string;

  @ApiPropertyOptional({ example: '19790312', description: 'YYYYMMDD' })
  @IsOptional()
  @Matches(/^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/, { message: 'birthDate must be a date written YYYYMMDD' })
  birthDate?: string;

  @ApiPropertyOptional({ enum: ['M', 'F', 'O', 'U'] })
  @IsOptional()
  @IsIn(['M', 'F', 'O', 'U'], { message: 'sex must be one of M, F, O, U' })
  sex?: 'M' | 'F' | 'O' | 'U';
}

export class RequestReferrerDto {
  @ApiPropertyOptional({ example: '10000000000', description: 'RPPS number (11 digits)' })
  @IsOptional()
  @Matches(/^\d{11}$/, { message: 'rpps must be an RPPS number (11 digits)' })
  rpps?: string;

  @ApiProperty({ example: 'Dr Jeanne MARTIN' })
  @IsString({ message: 'name must be text' })
  @IsNotEmpty({ message: 'name must not be empty' })
  @MaxLength(128, { message: 'name must be at most 128 characters' })
  name: string;

  @ApiPropertyOptional({ example: '000000002', description: 'FINESS or name of the organisation' })
  @IsOptional()
  @IsString({ message: 'organisation must be text' })
  @MaxLength(128, { message: 'organisation must be at most 128 characters' })
  organisation?: string;
}

/** `POST /requests`. The caller's principal is the placer system: placer order numbers are unique per caller. */
export class NewRequestDto {
  @ApiPropertyOptional({ example: 'CMD-2026-000123', description: "The caller's order number; a resend with the same number answers the first request" })
  @IsOptional()
  @Matches(/^[\x21-\x7e][\x20-\x7e]{0,63}$/, { message: 'placerOrderNumber must be 1-64 printable ASCII characters' })
  placerOrderNumber?: string;

  @ApiProperty({ type: RequestPatientDto })
  @IsNotEmptyObject({}, { message: 'patient is required' })
  @ValidateNested()
  @Type(() => RequestPatientDto)
  patient: RequestPatientDto;

  @ApiProperty({ type: RequestReferrerDto })
  @IsNotEmptyObject({}, { message: 'referrer is required' })
  @ValidateNested()
  @Type(() => RequestReferrerDto)
  referrer: RequestReferrerDto;

  @ApiProperty({ example: 'ZBQK002', description: 'Code from the procedure catalogue; an unknown code is accepted and flagged for mapping' })
  @IsString({ message: 'procedureCode must be text' })
  @IsNotEmpty({ message: 'procedureCode must not be empty' })
  @MaxLength(16, { message: 'procedureCode must be at most 16 characters' })
  procedureCode: string;

  @ApiPropertyOptional({ example: 'Radiographie du thorax' })
  @IsOptional()
  @IsString({ message: 'procedureText must be text' })
  @MaxLength(64, { message: 'procedureText must be at most 64 characters' })
  procedureText?: string;

  @ApiProperty({ enum: PRIORITIES })
  @IsIn(PRIORITIES, { message: 'priority must be one of routine, urgent, emergency' })
  priority: RequestPriority;

  @ApiPropertyOptional({ example: 'Toux persistante, fièvre. Recherche de foyer.' })
  @IsOptional()
  @IsString({ message: 'clinicalInformation must be text' })
  @MaxLength(10240, { message: 'clinicalInformation must be at most 10240 characters' })
  clinicalInformation?: string;

  @ApiProperty({ nullable: true, example: 'chu-nord', description: 'A configured site id, or null for any site of the region' })
  @ValidateIf((_, v) => v !== null)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'targetSite must be a configured site id or null' })
  targetSite: string | null;

  toNewRequest(placerSystem: string): NewRequest {
    return { source: 'rest', placerSystem, ...this };
  }
}
