import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

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
