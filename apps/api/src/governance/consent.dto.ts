import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { CONSENT_STATES } from '@joinedup/governance';

/** Ids have no spaces: names never reach the register or the audit chain through this field. */
const SUBJECT_ID = /^\S{1,300}$/;

export class RecordConsentDto {
  /** Person ids and/or source record refs (`agency/externalId`) of the one subject. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @Matches(SUBJECT_ID, { each: true, message: 'subject ids are ids, without spaces' })
  subjectIds!: string[];

  @IsString()
  @MinLength(1)
  @MaxLength(64)
  purpose!: string;

  @IsIn(CONSENT_STATES)
  @ApiProperty({ enum: CONSENT_STATES })
  state!: (typeof CONSENT_STATES)[number];

  /** Receiving agencies the decision is about; omit for every agency. */
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @ApiPropertyOptional({ type: [String] })
  scope?: string[];

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  evidenceRef!: string;

  /** When the subject decided; defaults to now. */
  @IsOptional()
  @IsDateString()
  at?: string;

  @IsOptional()
  @IsDateString()
  expiresAt?: string;
}

export class WithdrawConsentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  evidenceRef!: string;

  @IsOptional()
  @IsDateString()
  at?: string;
}

export class ConsentQuery {
  @Matches(SUBJECT_ID)
  subject!: string;
}
