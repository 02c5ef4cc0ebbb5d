import { DATA_CATEGORIES, type DataCategory } from '@joinedup/core';
import { agreementRef, describeRef, type Agreement, type AgreementRef } from './agreement.js';
import { isSpecialCategory, type Article6Basis } from './lawful-basis.js';

/**
 * Subject rights over agreements: whether a record may be erased, which parts of a subject access
 * response are exempt, and the record of processing activities. Pure: agreements in, answers with
 * reasons out.
 */

/** Agreements that bind an agency now: a suspended agreement still governs what was shared under it. */
const IN_FORCE: ReadonlySet<Agreement['status']> = new Set(['active', 'suspended']);
/** Agreements that ever had force: their exemptions still cover what was disclosed under them. */
const HAD_FORCE: ReadonlySet<Agreement['status']> = new Set(['active', 'suspended', 'expired', 'retired']);

/** UK GDPR Art 17(3)(b): no right to erasure where processing is needed for a legal obligation or a public task. */
const NO_ERASURE_BASES: ReadonlySet<Article6Basis> = new Set(['legal-obligation', 'public-task']);

export type ErasureAnswer =
  { outcome: 'allowed'; reasons: string[] } | { outcome: 'refused'; reasons: string[]; agreements: AgreementRef[] };

/** May the broker erase `agency`'s record of a person? Refused while any agreement in force holds it on a basis without erasure. */
export function erasureAnswer(agreements: readonly Agreement[], agency: string): ErasureAnswer {
  const binding = agreements.filter((a) => IN_FORCE.has(a.status) && a.parties.includes(agency));
  const blocking = binding.filter((a) => NO_ERASURE_BASES.has(a.lawfulBasis.article6));
  if (blocking.length > 0) {
    return {
      outcome: 'refused',
      agreements: blocking.map(agreementRef),
      reasons: blocking.map(
        (a) =>
          `${describeRef(a)} holds ${agency}'s records under ${a.lawfulBasis.article6} (${a.lawfulBasis.gateway}): ` +
          'the right to erasure does not apply (UK GDPR Art 17(3)(b))',
      ),
    };
  }
  if (binding.length === 0) return { outcome: 'allowed', reasons: [`no agreement in force holds ${agency}'s records`] };
  return {
    outcome: 'allowed',
    reasons: binding.map((a) => `${describeRef(a)} rests on ${a.lawfulBasis.article6}: erasure applies`),
  };
}

/** One agreement's subject access exemption. */
export interface SubjectAccessExemption {
  agreement: AgreementRef;
  /** Agencies whose data the exemption covers: those that disclose under the agreement. */
  disclosers: string[];
  categories: DataCategory[];
  note: string;
}

/** Exemptions of every agreement that ever had force (its latest version), for a subject access response. */
export function subjectAccessExemptions(agreements: readonly Agreement[]): SubjectAccessExemption[] {
  return agreements
    .filter((a) => HAD_FORCE.has(a.status) && (a.exemptions?.subjectAccess?.length ?? 0) > 0)
    .map((a) => ({
      agreement: agreementRef(a),
      disclosers: [...new Set(a.flows.map((f) => f.from))],
      categories: [...a.exemptions!.subjectAccess!],
      note: a.exemptions!.note ?? 'exempt from subject access under the agreement',
    }));
}

/** Categories of `agency`'s own records withheld from a subject access response, and the exemptions that withhold them. */
export function exemptCategoriesOf(
  exemptions: readonly SubjectAccessExemption[],
  agency: string,
): { categories: DataCategory[]; by: SubjectAccessExemption[] } {
  const by = exemptions.filter((e) => e.disclosers.includes(agency));
  return { categories: [...new Set(by.flatMap((e) => e.categories))], by };
}

/** Categories a subject access response may show of a record held by `agency` (for redactRecord). */
export function releasableCategories(exempt: readonly DataCategory[]): DataCategory[] {
  return DATA_CATEGORIES.filter((c) => !exempt.includes(c));
}

/**
 * The exemption that withholds a disclosure (a decision or an audit event) from a subject access
 * response: one made under an exempting agreement that touched an exempt category. Null when it may be shown.
 */
export function exemptionOfDisclosure(
  exemptions: readonly SubjectAccessExemption[],
  agreement: { id?: unknown } | null | undefined,
  categories: readonly string[],
): SubjectAccessExemption | null {
  if (!agreement || typeof agreement.id !== 'string') return null;
  return (
    exemptions.find((e) => e.agreement.id === agreement.id && e.categories.some((c) => categories.includes(c))) ?? null
  );
}

/** What the broker says about retention in the record of processing activities. */
export interface RetentionStatement {
  /** Days an agency's withdrawn (or an erased) record's tombstone is kept before it is removed. */
  withdrawnDays: number;
}

/** One processing activity (UK GDPR Art 30): one agreement in force. */
export interface ProcessingActivity {
  agreement: AgreementRef & { title: string; status: Agreement['status'] };
  controllers: string[];
  purposes: string[];
  categories: DataCategory[];
  specialCategories: DataCategory[];
  recipients: { agency: string; from: string; categories: DataCategory[]; fields?: string[] }[];
  lawfulBasis: Agreement['lawfulBasis'];
  consentRule: Agreement['consentRule'];
  retention: string;
  period: { validFrom: string; validTo: string; reviewDate: string };
  dpiaReference: string;
  subjectAccessExemptions: { categories: DataCategory[]; note: string } | null;
}

/** The record of processing activities: one entry per agreement in force, ordered by id. */
export function recordOfProcessing(
  agreements: readonly Agreement[],
  retention: RetentionStatement,
): ProcessingActivity[] {
  return agreements
    .filter((a) => IN_FORCE.has(a.status))
    .sort((x, y) => x.id.localeCompare(y.id))
    .map((a) => {
      const categories = [...new Set(a.flows.flatMap((f) => f.categories))].sort();
      return {
        agreement: { ...agreementRef(a), title: a.title, status: a.status },
        controllers: [...a.parties].sort(),
        purposes: [...a.purposes],
        categories,
        specialCategories: categories.filter(isSpecialCategory),
        recipients: a.flows.map((f) => ({
          agency: f.to,
          from: f.from,
          categories: [...f.categories],
          ...(f.fields ? { fields: [...f.fields] } : {}),
        })),
        lawfulBasis: { ...a.lawfulBasis },
        consentRule: a.consentRule,
        retention:
          `records are held while the sending agency keeps them active and the agreement is in force ` +
          `(until ${a.validTo.toISOString().slice(0, 10)}); withdrawn and erased records are emptied at once and ` +
          `their tombstones removed after ${retention.withdrawnDays} days; decisions and audit events are kept, ids only`,
        period: {
          validFrom: a.validFrom.toISOString(),
          validTo: a.validTo.toISOString(),
          reviewDate: a.reviewDate.toISOString(),
        },
        dpiaReference: a.dpiaReference,
        subjectAccessExemptions: a.exemptions?.subjectAccess?.length
          ? { categories: [...a.exemptions.subjectAccess], note: a.exemptions.note ?? '' }
          : null,
      };
    });
}
