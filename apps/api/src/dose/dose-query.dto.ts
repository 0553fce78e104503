import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '../common/page-query.dto';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class DoseHistoryQueryDto {
  @ApiPropertyOptional({ type: [Number], example: [12], description: 'Rolling windows in months for the cumulative figures (comma-separated); default from config' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((v) => Number(v.trim())) : value))
  @IsArray()
  @ArrayMaxSize(6)
  @IsInt({ each: true, message: 'windowMonths must be whole numbers of months' })
  @Min(1, { each: true, message: 'windowMonths must be at least 1' })
  @Max(600, { each: true, message: 'windowMonths must be at most 600' })
  windowMonths?: number[];
}

export class AnalysisQueryDto {
  @ApiPropertyOptional({ example: 'chu-nord' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'site must be a configured site id (lower-case letters, digits, dashes)' })
  site?: string;

  @ApiPropertyOptional({ enum: ['CT', 'XA', 'DX', 'MG', 'NM'] })
  @IsOptional()
  @IsIn(['CT', 'XA', 'DX', 'MG', 'NM'], { message: 'modality must be one of CT, XA, DX, MG, NM' })
  modality?: string;

  @ApiPropertyOptional({ example: '2025-01-01' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date' })
  to?: string;
}

export class StatisticsQueryDto extends AnalysisQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'csv for a spreadsheet export' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

export class TrendQueryDto extends AnalysisQueryDto {
  @ApiPropertyOptional({ description: 'Device key as returned by /dose/statistics' })
  @IsString({ message: 'device is required' })
  @MaxLength(256)
  device: string;

  @ApiPropertyOptional({ description: 'Protocol as returned by /dose/statistics; omit for events without protocol' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  protocol?: string;
}

export class ExhaustivenessQueryDto {
  @ApiPropertyOptional({ example: 'chu-nord' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'site must be a configured site id (lower-case letters, digits, dashes)' })
  site?: string;

  @ApiPropertyOptional({ description: 'Hours after arrival before an exam without dose counts as missing; default from config' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { message: 'delayHours must be a number' })
  @Min(0, { message: 'delayHours must not be negative' })
  @Max(8760, { message: 'delayHours must be at most 8760' })
  delayHours?: number;

  @ApiPropertyOptional({ default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(5000, { message: 'limit must be at most 5000' })
  limit?: number;
}

export class AlertListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'reviewed', 'followed-up', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'reviewed', 'followed-up', 'closed'], { message: 'state must be one of open, reviewed, followed-up, closed' })
  state?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'site must be a configured site id' })
  site?: string;
}
