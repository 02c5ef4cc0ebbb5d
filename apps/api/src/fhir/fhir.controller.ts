import { Body, Controller, HttpCode, Param, Post, Put, Req, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { type IntakeContext, RecordIntakeService } from '../records/record-intake.service.js';
import { intakeContext, requireAgency, today } from '../records/calling-agency.js';
import { FhirErrorFilter, FhirOutcomeError } from './fhir-error.filter.js';
import { mapPersonResource, type MappedResource, rolesOf } from './fhir-patient.mapper.js';
import { fieldIssues, operationOutcome, type OperationOutcome } from './operation-outcome.js';

type Json = Record<string, unknown>;
const ID = /^[A-Za-z0-9.-]{1,64}$/;

/** FHIR R4 door to the same intake: Patient, and Bundles of Patient + RelatedPerson for households. */
@ApiTags('fhir')
@ApiBearerAuth()
@Controller('v1/fhir')
@UseFilters(FhirErrorFilter)
export class FhirController {
  constructor(private readonly intake: RecordIntakeService) {}

  @Put('Patient/:id')
  @RequireScopes('records:write')
  @HttpCode(200)
  async putPatient(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request & { id?: string },
  ): Promise<OperationOutcome> {
    const agencyId = requireAgency(principal);
    const resource = expectResource(body, 'Patient');
    if (resource.id !== undefined && resource.id !== id) {
      throw new FhirOutcomeError(400, [
        {
          severity: 'error',
          code: 'invalid',
          diagnostics: 'Patient.id must match the URL',
          expression: ['Patient.id'],
        },
      ]);
    }
    const [outcome] = await this.store(
      agencyId,
      [mapPersonResource(resource, id)],
      intakeContext(principal, request),
      true,
    );
    return outcome!;
  }

  /** A batch Bundle: each Patient/RelatedPerson is a record; RelatedPerson links make one household. */
  @Post()
  @RequireScopes('records:write')
  @HttpCode(200)
  async bundle(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Req() request: Request & { id?: string },
  ): Promise<Json> {
    const agencyId = requireAgency(principal);
    const bundle = expectResource(body, 'Bundle');
    const resources = (Array.isArray(bundle.entry) ? bundle.entry : []).map((e: unknown, i: number) => {
      const resource = (e as Json | null)?.resource;
      if (typeof resource !== 'object' || resource === null) {
        throw new FhirOutcomeError(400, [
          {
            severity: 'error',
            code: 'structure',
            diagnostics: `entry ${i} has no resource`,
            expression: [`Bundle.entry[${i}]`],
          },
        ]);
      }
      return resource as Json;
    });
    const households = householdsOf(resources);
    const mapped = resources.map((r, i) => {
      if (
        (r.resourceType !== 'Patient' && r.resourceType !== 'RelatedPerson') ||
        typeof r.id !== 'string' ||
        !ID.test(r.id)
      ) {
        throw new FhirOutcomeError(400, [
          {
            severity: 'error',
            code: 'structure',
            diagnostics: 'entries must be Patient or RelatedPerson with an id',
            expression: [`Bundle.entry[${i}]`],
          },
        ]);
      }
      const externalId = r.resourceType === 'Patient' ? r.id : `RelatedPerson-${r.id}`;
      return mapPersonResource(r, externalId, households.get(`${r.resourceType}/${r.id}`));
    });
    const outcomes = await this.store(agencyId, mapped, intakeContext(principal, request), false);
    return {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: outcomes.map((outcome) => ({
        response: { status: outcome.issue.some((i) => i.severity === 'error') ? '400' : '200', outcome },
      })),
    };
  }

  private async store(
    agencyId: string,
    mapped: MappedResource[],
    context: IntakeContext,
    throwOnError: boolean,
  ): Promise<OperationOutcome[]> {
    const prepared = mapped.map((m, i) => this.intake.prepare(m.input, i + 1, agencyId, today()));
    const valid = prepared.filter((p) => 'write' in p);
    const written = new Map((await this.intake.write(agencyId, valid, context)).map((r) => [r.line, r]));
    return prepared.map((p, i) => {
      const paths = mapped[i]!.paths;
      const result = 'write' in p ? written.get(p.line)! : p;
      if (result.status === 'rejected') {
        const stale = result.errors.some((e) => e.field === 'version' && /not newer/.test(e.reason));
        const issues = fieldIssues(result.errors, paths, 'error').map((issue) =>
          stale ? { ...issue, code: 'conflict' as const } : issue,
        );
        if (throwOnError) throw new FhirOutcomeError(stale ? 409 : 400, issues);
        return operationOutcome(issues);
      }
      const warnings = 'warnings' in result && result.warnings ? fieldIssues(result.warnings, paths, 'warning') : [];
      return operationOutcome([
        {
          severity: 'information',
          code: 'informational',
          diagnostics: `record ${result.status}, version ${result.version}`,
        },
        ...warnings,
      ]);
    });
  }
}

function expectResource(body: unknown, type: string): Json {
  if (typeof body !== 'object' || body === null || (body as Json).resourceType !== type) {
    throw new FhirOutcomeError(400, [
      { severity: 'error', code: 'structure', diagnostics: `body must be a FHIR ${type} resource` },
    ]);
  }
  return body as Json;
}

/** Groups Patients joined by RelatedPerson.patient into households named after their first Patient. */
function householdsOf(
  resources: Json[],
): Map<string, { reference: string; role: ReturnType<typeof rolesOf>['patient'] }> {
  const result = new Map<string, { reference: string; role: ReturnType<typeof rolesOf>['patient'] }>();
  for (const r of resources) {
    if (r.resourceType !== 'RelatedPerson' || typeof r.id !== 'string') continue;
    const patientRef = String((r.patient as Json | undefined)?.reference ?? '');
    if (!patientRef.startsWith('Patient/')) continue;
    const codes = (Array.isArray(r.relationship) ? r.relationship : []).flatMap((rel: Json) =>
      (Array.isArray(rel.coding) ? rel.coding : []).map((c: Json) => String(c.code)),
    );
    const roles = rolesOf(codes);
    const reference = result.get(patientRef)?.reference ?? `fhir-${patientRef.replace('/', '-')}`;
    if (!result.has(patientRef)) result.set(patientRef, { reference, role: roles.patient });
    result.set(`RelatedPerson/${r.id}`, { reference, role: roles.related });
  }
  return result;
}
