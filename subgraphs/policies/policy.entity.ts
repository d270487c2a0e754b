import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { AmountRule, Condition } from './condition-checks';

export const PolicyLevel = { COUNTY: 'COUNTY', CITY: 'CITY' } as const;
export type PolicyLevel = (typeof PolicyLevel)[keyof typeof PolicyLevel];
export const PolicyMode = { NO_APPLICATION: 'NO_APPLICATION', INSTANT: 'INSTANT', COMMITMENT: 'COMMITMENT' } as const;
export type PolicyMode = (typeof PolicyMode)[keyof typeof PolicyMode];
export const POLICY_MODE_NAMES: Record<PolicyMode, string> = { NO_APPLICATION: '免申即享', INSTANT: '即申即享', COMMITMENT: '承诺兑现' };
export const PolicyStatus = { DRAFT: 'DRAFT', CONSULTATION: 'CONSULTATION', PUBLISHED: 'PUBLISHED', SUSPENDED: 'SUSPENDED', EXPIRED: 'EXPIRED', REPEALED: 'REPEALED' } as const;
export type PolicyStatus = (typeof PolicyStatus)[keyof typeof PolicyStatus];
/** A version's own state: only DRAFT is editable; PUBLISHED is served; SUPERSEDED was served before. */
export const VersionState = { DRAFT: 'DRAFT', CONSULTATION: 'CONSULTATION', PUBLISHED: 'PUBLISHED', SUPERSEDED: 'SUPERSEDED' } as const;
export type VersionState = (typeof VersionState)[keyof typeof VersionState];
export const SignOffDecision = { APPROVED: 'APPROVED', RETURNED: 'RETURNED' } as const;
export type SignOffDecision = (typeof SignOffDecision)[keyof typeof SignOffDecision];

export interface Material {
  name: string;
  required: boolean;
  /** The government already holds it (共享获取): the enterprise need not submit it. */
  heldByGovernment: boolean;
}
export interface Faq {
  question: string;
  answer: string;
}

/**
 * A policy (one code, e.g. XG-2026-001). Its content lives in versions; the policy row says which
 * version is served (`publishedVersion`) and which is being worked on (`workingVersion`), and
 * carries the filter facets of the served (else the working) version so lists filter in SQL.
 */
@Entity({ tableName: 'policy' })
@Index({ properties: ['status', 'id'] })
export class Policy {
  @PrimaryKey({ type: 'string', length: 20 })
  id!: string;

  /** Owning department code, e.g. 360732-MIIT (a POLICY_OWNER department). */
  @Property({ type: 'string', length: 20, index: true })
  departmentCode!: string;

  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Property({ type: 'string', length: 10 })
  level!: PolicyLevel;

  /** CITY policies: city and county shares of the funding in basis points (sum 10000). */
  @Property({ type: 'integer', nullable: true })
  cityShareBp?: number | null;

  @Property({ type: 'integer', nullable: true })
  countyShareBp?: number | null;

  @Property({ type: 'string', length: 20 })
  mode!: PolicyMode;

  @Property({ type: 'string', length: 20 })
  status!: PolicyStatus;

  /** Why it was last suspended, resumed, expired or repealed (as the owner said). */
  @Property({ type: 'string', length: 500, nullable: true })
  statusReason?: string | null;

  @Property({ type: 'integer', nullable: true })
  publishedVersion?: number | null;

  @Property({ type: 'integer', nullable: true })
  workingVersion?: number | null;

  /** Facets as `,a,b,` (empty list = applies to all), matched with LIKE '%,x,%'. */
  @Property({ type: 'string', length: 400 })
  industryList: string = '';

  @Property({ type: 'string', length: 200 })
  scaleList: string = '';

  @Property({ type: 'string', length: 400 })
  tagList: string = '';

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/** One version of a policy's content (办事指南). Immutable once submitted for consultation. */
@Entity({ tableName: 'policy_version' })
export class PolicyVersion {
  /** `<policy id>@<number>`: whatever is decided under a version points at this. */
  @PrimaryKey({ type: 'string', length: 30 })
  id!: string;

  @Property({ type: 'string', length: 20, index: true })
  policyId!: string;

  @Property({ type: 'integer' })
  number!: number;

  @Property({ type: 'string', length: 20 })
  state!: VersionState;

  /** Consultation round: a returned draft submitted again starts a new round of sign-offs. */
  @Property({ type: 'integer' })
  round: number = 0;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'string', length: 200 })
  legalBasisTitle!: string;

  @Property({ type: 'string', length: 100 })
  legalBasisNumber!: string;

  @Property({ type: 'text' })
  beneficiaries!: string;

  @Property({ type: 'text' })
  conditionsText!: string;

  @Property({ type: 'json' })
  conditions!: Condition;

  @Property({ type: 'json' })
  amountRule!: AmountRule;

  @Property({ type: 'text' })
  amountText!: string;

  @Property({ type: 'json' })
  materials!: Material[];

  /**
   * 容缺受理: required materials the window may accept as missing, to be supplied later (names of
   * `materials`). Empty: this version allows no 容缺.
   */
  @Property({ type: 'json', default: '[]' })
  deferrableMaterials: string[] = [];

  @Property({ type: 'json' })
  processSteps!: string[];

  @Property({ type: 'integer' })
  reviewDays!: number;

  @Property({ type: 'integer' })
  paymentDays!: number;

  @Property({ type: 'string', length: 10, nullable: true })
  windowStart?: string | null;

  @Property({ type: 'string', length: 10, nullable: true })
  windowEnd?: string | null;

  @Property({ type: 'string', length: 200 })
  contact!: string;

  @Property({ type: 'json' })
  faq!: Faq[];

  @Property({ type: 'json' })
  industries!: string[];

  @Property({ type: 'json' })
  scales!: string[];

  @Property({ type: 'json' })
  tags!: string[];

  @Property({ type: 'string', length: 100, nullable: true })
  createdBy?: string | null;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  submittedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;
}

/** 归口管理: one sign-off by 县发改委 / 县财政局 / 县行政审批局 on one consultation round of a version. */
@Entity({ tableName: 'policy_sign_off' })
export class PolicySignOff {
  /** `<version id>#<round>:<department abbr>`: one decision per department per round. */
  @PrimaryKey({ type: 'string', length: 50 })
  id!: string;

  @Property({ type: 'string', length: 30, index: true })
  versionId!: string;

  @Property({ type: 'integer' })
  round!: number;

  /** NDRC | FINANCE | APPROVAL */
  @Property({ type: 'string', length: 10 })
  department!: string;

  @Property({ type: 'string', length: 10 })
  decision!: SignOffDecision;

  @Property({ type: 'text', nullable: true })
  comments?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  signedBy?: string | null;

  @Property({ type: 'datetime' })
  signedAt!: Date;
}

/** The search index the subgraph keeps itself: (term, policy) → weight; the primary key leads with term. */
@Entity({ tableName: 'policy_search_term' })
export class PolicySearchTerm {
  @PrimaryKey({ type: 'string', length: 40 })
  term!: string;

  @PrimaryKey({ type: 'string', length: 20 })
  @Index()
  policyId!: string;

  @Property({ type: 'integer' })
  weight!: number;
}
