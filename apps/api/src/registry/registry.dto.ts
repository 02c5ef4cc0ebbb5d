import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AGENCY_SLUG, SECTORS } from '@joinedup/core';
import { ROLES, SCOPES } from '../auth/principal.js';

export class CreateAgencyDto {
  @Matches(AGENCY_SLUG, { message: 'id must be a lowercase slug such as northmoor-csc' })
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsIn(SECTORS)
  sector!: string;
}

export class JwksDto {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  keys!: Record<string, unknown>[];
}

export class CreateClientDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(SCOPES, { each: true })
  scopes!: string[];

  @IsOptional()
  @ValidateNested()
  @Type(() => JwksDto)
  jwks?: JwksDto;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['https', 'http'] })
  jwksUri?: string;
}

export class SetClientKeysDto {
  @ValidateNested()
  @Type(() => JwksDto)
  jwks!: JwksDto;
}

export class CreatePersonDto {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  staffRef!: string;

  @IsEmail()
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsIn(ROLES.filter((r) => r !== 'platform-admin'), { each: true })
  roles!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(128)
  team?: string;

  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @ArrayMaxSize(50)
  skills?: string[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(500)
  leadCapacity?: number;

  /** Only for console sign-in; at least 12 characters. */
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(200)
  password?: string;
}

export class CreateWebhookDto {
  @IsUrl({ require_tld: false, protocols: ['https', 'http'], require_protocol: true })
  url!: string;

  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  @ArrayMaxSize(50)
  eventTypes!: string[];

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class SignInDto {
  @IsEmail()
  email!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}
