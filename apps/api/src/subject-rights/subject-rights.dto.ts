import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { BrokerError } from '@joinedup/core';
import type { SubjectRef } from '@joinedup/persistence';

/** `agency/externalId`: the agency slug, a slash, the agency's own id (which may hold slashes). */
const RECORD_REF = /^[a-z0-9][a-z0-9-]{0,63}\/\S{1,200}$/;

export class SubjectQuery {
  @ApiPropertyOptional({ description: 'A source record: agency/externalId', example: 'leeds-csc/c-123' })
  @IsOptional()
  @Matches(RECORD_REF, { message: 'record must be agency/externalId' })
  record?: string;

  @ApiPropertyOptional({ description: 'A linked person id' })
  @IsOptional()
  @IsUUID()
  person?: string;
}

export class SubjectRightsRequestDto extends SubjectQuery {
  /** Why, as the IG officer records it (kept in the audit trail: no personal data, please). */
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

/** Exactly one of record and person. */
export function subjectRefOf(q: SubjectQuery): SubjectRef {
  if ((q.record === undefined) === (q.person === undefined))
    throw new BrokerError('VALIDATION_FAILED', 'give exactly one of record (agency/externalId) and person');
  if (q.person !== undefined) return { person: q.person };
  const slash = q.record!.indexOf('/');
  return { record: { agency: q.record!.slice(0, slash), externalId: q.record!.slice(slash + 1) } };
}
