import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

export class AcceptOfferDto {
  @ApiPropertyOptional({
    description:
      'For duty-team and team-manager offers: the worker (registry person id) who takes the case; defaults to the caller',
  })
  @IsOptional()
  @IsUUID()
  workerId?: string;
}

export class DeclineOfferDto {
  @ApiProperty({ description: 'Why (no personal data): it goes to the next worker asked and to the case history' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class PublishLeadPolicyDto {
  @ApiProperty({ description: 'The whole policy, as in config/coordination/lead-worker-policy.json' })
  @IsObject()
  policy!: Record<string, unknown>;

  @ApiProperty({ description: 'Why it changes (kept with the version, audited)' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class InboxQuery {
  @ApiPropertyOptional({ description: 'Only unread items' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class DeadLetterQuery {
  @ApiPropertyOptional({ description: 'Only this agency’s endpoints' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agency?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class HandOverDto {
  @ApiProperty({ description: 'The worker (registry person id) who takes the case' })
  @IsUUID()
  workerId!: string;

  @ApiProperty({ description: 'Why (no personal data): kept in the case history' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
