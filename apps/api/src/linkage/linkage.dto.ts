import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';

export class ReviewDecisionDto {
  @ApiProperty({ description: 'Source record id (uuid) of one side' })
  @IsUUID()
  a!: string;

  @ApiProperty({ description: 'Source record id (uuid) of the other side' })
  @IsUUID()
  b!: string;

  @ApiProperty({ enum: ['must-link', 'cannot-link'] })
  @IsIn(['must-link', 'cannot-link'])
  decision!: 'must-link' | 'cannot-link';

  @ApiPropertyOptional({ description: 'Why (no personal data)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ReviewPageQuery {
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
  @Max(500)
  limit?: number;
}

export class LinkQuery {
  @IsUUID()
  a!: string;

  @IsUUID()
  b!: string;
}

export class RelinkDto {
  @ApiPropertyOptional({ description: 'Report the diff without applying it', default: true })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    description: 'How many jobs the blocks are split into (worker processes take them in parallel)',
    default: 4,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  partitions?: number;
}

export class ProposeModelDto {
  @ApiPropertyOptional({ description: 'Match probability at or above which a pair links (default: the published one)' })
  @IsOptional()
  @Type(() => Number)
  @Min(0.01)
  @Max(0.999999)
  link?: number;

  @ApiPropertyOptional({ description: 'Match probability at or above which a pair goes to review' })
  @IsOptional()
  @Type(() => Number)
  @Min(0.01)
  @Max(0.999999)
  review?: number;

  @ApiProperty({ description: 'Why this version (no personal data)' })
  @IsString()
  @MaxLength(500)
  reason!: string;
}
