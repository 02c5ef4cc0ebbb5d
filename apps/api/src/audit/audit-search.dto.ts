import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AGENCY_SLUG } from '@joinedup/core';

/** An id: no whitespace, so a name typed into the box is refused rather than searched for. */
const REF = /^\S{1,200}$/;

export class AuditSearchQuery {
  @ApiPropertyOptional({ description: 'A subject reference, e.g. `leeds-csc/R-123` or `person:<uuid>`' })
  @IsOptional()
  @Matches(REF, { message: 'subject must be a reference (no spaces)' })
  subject?: string;

  @ApiPropertyOptional({ description: 'Agency id; IG officers and agency admins may give only their own' })
  @IsOptional()
  @Matches(AGENCY_SLUG, { message: 'agency must be an agency id' })
  agency?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  purpose?: string;

  @ApiPropertyOptional({ description: 'Event type, e.g. `records.received`, `registry.changed`' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  @ApiPropertyOptional({ description: 'Inclusive start (ISO 8601)', type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Exclusive end (ISO 8601)', type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page (a seq); pages go from newest to oldest' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  cursor?: number;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}
