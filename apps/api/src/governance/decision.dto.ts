import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DATA_CATEGORIES, type DataCategory } from '@joinedup/core';

const SUBJECT_ID = /^\S{1,300}$/;

export class DecideDto {
  @IsString()
  @MaxLength(64)
  purpose!: string;

  @IsString()
  @MaxLength(64)
  fromAgency!: string;

  @IsString()
  @MaxLength(64)
  toAgency!: string;

  /** Person id and/or source record refs of the subject. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @Matches(SUBJECT_ID, { each: true })
  subject!: string[];

  @IsArray()
  @IsIn(DATA_CATEGORIES, { each: true })
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  categories!: DataCategory[];

  /** Defaults to now. */
  @IsOptional()
  @IsDateString()
  at?: string;
}

export class DecisionQuery {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  purpose?: string;

  @IsOptional()
  @Matches(SUBJECT_ID)
  subject?: string;

  @IsOptional()
  @IsIn(['allow', 'deny'])
  decision?: 'allow' | 'deny';

  /** The other agency of the pair, in either direction. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  agency?: string;

  /** Keyset paging: decisions before this time. */
  @IsOptional()
  @IsDateString()
  before?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;
}
