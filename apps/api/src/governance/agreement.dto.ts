import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DATA_CATEGORIES } from '@joinedup/core';
import {
  AGREEMENT_STATUSES,
  ARTICLE6_BASES,
  ARTICLE9_CONDITIONS,
  CONSENT_RULES,
  SCHEDULE1_CONDITIONS,
} from '@joinedup/governance';

/*
 * Shapes only: whether the content makes a valid agreement (parties, conditions, dates) is the
 * engine's agreementProblems, reported with every problem at once when the draft is submitted.
 */

export class FlowDto {
  @IsString()
  @MaxLength(64)
  from!: string;

  @IsString()
  @MaxLength(64)
  to!: string;

  @IsArray()
  @ArrayMaxSize(20)
  @IsIn(DATA_CATEGORIES, { each: true })
  @ApiProperty({ enum: DATA_CATEGORIES, isArray: true })
  categories!: (typeof DATA_CATEGORIES)[number][];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  fields?: string[];
}

export class LawfulBasisDto {
  @IsIn(ARTICLE6_BASES)
  @ApiProperty({ enum: ARTICLE6_BASES })
  article6!: (typeof ARTICLE6_BASES)[number];

  @IsOptional()
  @IsIn(ARTICLE9_CONDITIONS)
  @ApiPropertyOptional({ enum: ARTICLE9_CONDITIONS })
  article9?: (typeof ARTICLE9_CONDITIONS)[number];

  @IsOptional()
  @IsIn(SCHEDULE1_CONDITIONS)
  @ApiPropertyOptional({ enum: SCHEDULE1_CONDITIONS })
  schedule1?: (typeof SCHEDULE1_CONDITIONS)[number];

  /** The statutory gateway, e.g. "Children Act 2004 s10". */
  @IsString()
  @MaxLength(500)
  gateway!: string;
}

export class OverrideDto {
  @IsString()
  @MaxLength(2000)
  justification!: string;

  @IsDateString()
  expiresAt!: string;
}

export class ExemptionsDto {
  @IsOptional()
  @IsArray()
  @IsIn(DATA_CATEGORIES, { each: true })
  subjectAccess?: (typeof DATA_CATEGORIES)[number][];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class AgreementContentDto {
  @IsString()
  @MaxLength(300)
  title!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  parties!: string[];

  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  purposes!: string[];

  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => FlowDto)
  flows!: FlowDto[];

  @ValidateNested()
  @Type(() => LawfulBasisDto)
  lawfulBasis!: LawfulBasisDto;

  @IsIn(CONSENT_RULES)
  @ApiProperty({ enum: CONSENT_RULES })
  consentRule!: (typeof CONSENT_RULES)[number];

  @IsOptional()
  @ValidateNested()
  @Type(() => OverrideDto)
  override?: OverrideDto;

  @IsDateString()
  validFrom!: string;

  @IsDateString()
  validTo!: string;

  @IsDateString()
  reviewDate!: string;

  @IsString()
  @MaxLength(200)
  dpiaReference!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ExemptionsDto)
  exemptions?: ExemptionsDto;
}

/** Only the fields given change; every edit makes a new version. */
export class EditAgreementDto extends PartialType(AgreementContentDto) {}

export class ReasonDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class AgreementListQuery {
  @IsOptional()
  @IsIn(AGREEMENT_STATUSES)
  status?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit = 100;
}

export class DiffQuery {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from!: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  to!: number;
}
