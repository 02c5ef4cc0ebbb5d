import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditWriter } from '@joinedup/audit';
import { BrokerError, newId, systemClock } from '@joinedup/core';
import { appendAgreementVersion, isUniqueViolation, LiveGovernance } from '@joinedup/enforcement';
import {
  activate,
  approve,
  createDraft,
  editDraft,
  resume,
  retire,
  simulate,
  submitForApproval,
  suspend,
  type Actor,
  type Agreement,
  type AgreementContent,
  type Simulation,
} from '@joinedup/governance';
import { AgreementRegisterRepository, PopulationSummaryRepository, withAgencyScope } from '@joinedup/persistence';
import type { Principal } from '../auth/principal.js';
import type { AgreementContentDto, EditAgreementDto } from './agreement.dto.js';
import { auditActorOfPrincipal, governanceActorOf } from './governance-actor.js';

type Step = (current: Agreement, actor: Actor, at: Date) => Agreement;

/** DTO dates are ISO strings; the engine works on Dates. */
function contentOf<T extends Partial<AgreementContentDto>>(dto: T): Partial<AgreementContent> {
  const { validFrom, validTo, reviewDate, override, ...rest } = dto;
  return {
    ...(rest as Partial<AgreementContent>),
    ...(validFrom !== undefined ? { validFrom: new Date(validFrom) } : {}),
    ...(validTo !== undefined ? { validTo: new Date(validTo) } : {}),
    ...(reviewDate !== undefined ? { reviewDate: new Date(reviewDate) } : {}),
    ...(override !== undefined
      ? { override: { justification: override.justification, expiresAt: new Date(override.expiresAt) } }
      : {}),
  };
}

/**
 * The agreement lifecycle over the register: read the latest version, let the pure lifecycle make
 * the next one, append it with its audit event in one transaction, then hand it to this process's
 * engine (others follow by NOTIFY). Two changes racing for the same version: one loses with 409.
 */
@Injectable()
export class AgreementCommands {
  private readonly register: AgreementRegisterRepository;
  private readonly population: PopulationSummaryRepository;
  private readonly audit = new AuditWriter();
  private readonly clock = systemClock;

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveGovernance,
  ) {
    this.register = new AgreementRegisterRepository(dataSource);
    this.population = new PopulationSummaryRepository(dataSource);
  }

  async draft(principal: Principal, dto: AgreementContentDto): Promise<Agreement> {
    const actor = governanceActorOf(principal);
    if (!dto.parties.includes(actor.agency)) {
      throw new BrokerError('VALIDATION_FAILED', 'your agency must be a party to an agreement you draft', [
        { field: 'parties', reason: 'must include your agency' },
      ]);
    }
    const draft = createDraft(newId(), contentOf(dto) as AgreementContent, actor, this.clock.now());
    return this.store(principal, actor, draft);
  }

  edit(principal: Principal, id: string, dto: EditAgreementDto): Promise<Agreement> {
    return this.change(principal, id, (a, actor, at) => editDraft(a, contentOf(dto), actor, at));
  }

  submit = (p: Principal, id: string) => this.change(p, id, submitForApproval);
  approve = (p: Principal, id: string) => this.change(p, id, approve);
  activate = (p: Principal, id: string) => this.change(p, id, activate);
  resume = (p: Principal, id: string) => this.change(p, id, resume);
  suspend = (p: Principal, id: string, reason: string) => this.change(p, id, (a, x, t) => suspend(a, x, t, reason));
  retire = (p: Principal, id: string, reason: string) => this.change(p, id, (a, x, t) => retire(a, x, t, reason));

  /** What would start or stop flowing if this version became active: counts from live data only. */
  async simulate(principal: Principal, id: string): Promise<Simulation> {
    const actor = governanceActorOf(principal);
    const at = this.clock.now();
    const draft = await withAgencyScope(this.dataSource, actor.agency, (m) => this.register.latestIn(m, id));
    if (!draft) throw new BrokerError('NOT_FOUND', 'no such agreement');
    const active = (await this.register.latestAll()).filter(
      (a) => a.status === 'active' && a.parties.some((p) => draft.parties.includes(p)),
    );
    const cells = await this.population.cells(draft.parties, draft.purposes, at);
    const result = simulate(draft, active, { cells }, { at });
    await withAgencyScope(this.dataSource, actor.agency, (m) =>
      this.audit.append(m, {
        type: 'governance.agreement-simulated',
        actor: auditActorOfPrincipal(principal),
        at,
        agencyId: actor.agency,
        agreement: result.draft,
        details: { starts: result.starts.length, stops: result.stops.length },
      }),
    );
    return result;
  }

  private async change(principal: Principal, id: string, step: Step): Promise<Agreement> {
    const actor = governanceActorOf(principal);
    return this.store(principal, actor, null, id, step);
  }

  private async store(principal: Principal, actor: Actor, created: Agreement | null, id?: string, step?: Step) {
    let next: Agreement;
    try {
      next = await withAgencyScope(this.dataSource, actor.agency, async (m) => {
        let version = created;
        if (!version) {
          const current = await this.register.latestIn(m, id!);
          if (!current) throw new BrokerError('NOT_FOUND', 'no such agreement');
          version = step!(current, actor, this.clock.now());
        }
        await appendAgreementVersion(m, this.register, version, auditActorOfPrincipal(principal));
        return version;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new BrokerError('CONFLICT', 'the agreement changed at the same time; read it again and retry');
      }
      // Row-level security refuses a version that no longer names the caller's agency as a party.
      if ((error as { code?: string }).code === '42501') {
        throw new BrokerError('FORBIDDEN', 'an agreement must keep your agency as a party');
      }
      throw error;
    }
    this.live.applyAgreement(next);
    return next;
  }
}
