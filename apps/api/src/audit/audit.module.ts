import { Global, Module } from '@nestjs/common';
import { systemClock } from '@joinedup/core';
import { AuditController } from './audit.controller.js';
import { AuditReads } from './audit-reads.service.js';
import { AUDIT_CLOCK, AuditTrail } from './audit-trail.service.js';

/** Global: every module that changes data appends its audit event through AuditTrail. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditTrail, AuditReads, { provide: AUDIT_CLOCK, useValue: systemClock }],
  exports: [AuditTrail],
})
export class AuditModule {}
