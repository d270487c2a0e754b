import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Sensitive } from '../kit/audit-trail';
import type { ApplicationStatus, Channel, Mode, WorkflowAction } from './workflow/table';

/**
 * One application (办件) for one policy by one enterprise in one policy period. The policy is
 * pinned at intake (`policyVersion`, its title, mode, department, review time limit), so what was
 * applied for does not change when the policy does. `status`, `stateEnteredAt` and `deadline`
 * are written only by the workflow (workflow/fire.ts).
 */
@Entity({ tableName: 'application' })
@Unique({ properties: ['policyId', 'creditCode', 'period'] })
@Index({ properties: ['creditCode', 'id'] })
@Index({ properties: ['department', 'status'] })
@Index({ properties: ['regionCode', 'status'] })
@Index({ properties: ['intakeDepartment', 'id'] })
export class Application {
  [OptionalProps]?: 'stepCount' | 'toleratedMaterials' | 'missingMaterials' | 'guideMaterials' | 'deferrableMaterials';

  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  /** 受理回执编号 `<region>-<YYYYMMDD>-<6 digits>`; what the enterprise quotes to follow the case. */
  @Property({ type: 'string', length: 30, unique: true })
  receiptNumber!: string;

  @Property({ type: 'string', length: 20 })
  policyId!: string;

  @Property({ type: 'integer' })
  policyVersion!: number;

  @Property({ type: 'string', length: 200 })
  policyTitle!: string;

  @Property({ type: 'string', length: 20 })
  mode!: Mode;

  /** The owning (deciding) department, e.g. 360732-MIIT. */
  @Property({ type: 'string', length: 20 })
  department!: string;

  @Property({ type: 'string', length: 6 })
  regionCode!: string;

  @Property({ type: 'string', length: 18 })
  creditCode!: string;

  @Property({ type: 'string', length: 200 })
  enterpriseName!: string;

  @Property({ type: 'string', length: 20 })
  channel!: Channel;

  /** The window's department (HALL_WINDOW / EDZ_WINDOW); null online. */
  @Property({ type: 'string', length: 20, nullable: true })
  intakeDepartment?: string | null;

  @Property({ type: 'string', length: 20 })
  status!: ApplicationStatus;

  /** The policy period key (e.g. the window's start, or the year): one application per (policy, enterprise, period). */
  @Property({ type: 'string', length: 20 })
  period!: string;

  /** The guide's form as the applicant filled it (bounded JSON, checked at intake). */
  @Property({ type: 'json' })
  data!: Record<string, unknown>;

  /** The pinned version's list of materials (办事指南): what the formal check computes the missing ones from. */
  @Property({ type: 'json', default: '[]' })
  guideMaterials: GuideMaterial[] = [];

  /** The pinned version's 容缺 list: required materials the window may accept as missing. */
  @Property({ type: 'json', default: '[]' })
  deferrableMaterials: string[] = [];

  /** The pinned version's cap on the amount (its amount rule's fixed amount, top tier or cap); null when it has none. */
  @Property({ type: 'bigint', runtimeType: 'number', nullable: true })
  amountCapFen?: number | null;

  /** The pinned version's review time limit in working days (INSTANT at most 5). */
  @Property({ type: 'integer' })
  reviewDays!: number;

  /** 信用承诺 signed at submission (COMMITMENT). */
  @Property({ type: 'datetime', nullable: true })
  commitmentSignedAt?: Date | null;

  /** The commitment's text as signed: what the enterprise promised, kept with the case. */
  @Property({ type: 'text', nullable: true })
  commitmentText?: string | null;

  /** 一次性告知: the complete list of what is missing, set when returned, cleared on acceptance. */
  @Property({ type: 'json' })
  missingMaterials: string[] = [];

  /** 容缺受理: materials accepted as missing, to be supplied later. */
  @Property({ type: 'json' })
  toleratedMaterials: string[] = [];

  @Property({ type: 'bigint', runtimeType: 'number', nullable: true })
  amountFen?: number | null;

  @Sensitive()
  @Property({ type: 'string', length: 32, nullable: true })
  payeeAccount?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  payeeBank?: string | null;

  /** NO_APPLICATION: the kept screening the case came from. */
  @Property({ type: 'string', length: 64, nullable: true })
  screeningId?: string | null;

  /** Idempotency key of the department's result (recordDepartmentDecision). */
  @Property({ type: 'string', length: 64, nullable: true })
  decisionId?: string | null;

  /** Fingerprint of the decision's content: the same decisionId with other content is refused. */
  @Property({ type: 'string', length: 64, nullable: true })
  decisionDigest?: string | null;

  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @Property({ type: 'text', nullable: true })
  policyExplanation?: string | null;

  @Property({ type: 'string', length: 10, nullable: true })
  jointAuditVerdict?: string | null;

  @Property({ type: 'json', nullable: true })
  jointAuditReasons?: unknown[] | null;

  @Property({ type: 'json', nullable: true })
  jointAuditFindings?: unknown[] | null;

  @Property({ type: 'datetime' })
  stateEnteredAt!: Date;

  /** The current step's deadline (YYYY-MM-DD, China), null when the step has none or it cannot be computed. */
  @Property({ type: 'string', length: 10, nullable: true })
  deadline?: string | null;

  /** The current step's time limit in working days (kept even when the deadline cannot be computed). */
  @Property({ type: 'integer', nullable: true })
  deadlineWorkdays?: number | null;

  /**
   * Why the deadline could not be computed (the official calendar of a year is not yet
   * published): flagged, never guessed with Mon–Fri.
   */
  @Property({ type: 'string', length: 200, nullable: true })
  deadlineProblem?: string | null;

  /** Steps so far: the next step's seq; with the unique (application, seq) it stops two racing transitions. */
  @Property({ type: 'integer' })
  stepCount: number = 0;

  @Property({ type: 'datetime' })
  submittedAt!: Date;

  @Property({ type: 'datetime' })
  updatedAt!: Date;
}

/** One material of a policy's guide, as pinned at intake. */
export interface GuideMaterial {
  name: string;
  required: boolean;
  heldByGovernment: boolean;
}

/**
 * 受理回执编号: the last number given per region and day, taken with an upsert in the intake's
 * transaction, so numbers are consecutive and two intakes never get the same one.
 */
@Entity({ tableName: 'application_receipt_counter' })
export class ReceiptCounter {
  /** `<region>-<YYYYMMDD>` */
  @PrimaryKey({ type: 'string', length: 20 })
  key!: string;

  @Property({ type: 'integer' })
  last!: number;
}

/** One step of the timeline (办事进度): appended by every transition in the transaction of the change. */
@Entity({ tableName: 'application_step' })
@Unique({ properties: ['application', 'seq'] })
export class ApplicationStep {
  [OptionalProps]?: 'details';

  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @ManyToOne(() => Application, { deleteRule: 'cascade' })
  application!: Application;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 20 })
  action!: WorkflowAction;

  /** null for the step that created the application. */
  @Property({ type: 'string', length: 20, nullable: true })
  fromStatus?: ApplicationStatus | null;

  @Property({ type: 'string', length: 20 })
  toStatus!: ApplicationStatus;

  /** A role, or SYSTEM for the platform's own steps. */
  @Property({ type: 'string', length: 20 })
  actorRole!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  actorSubject?: string | null;

  @Property({ type: 'string', length: 20, nullable: true })
  actorDepartment?: string | null;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /** The deadline of the state this step entered (YYYY-MM-DD). */
  @Property({ type: 'string', length: 10, nullable: true })
  deadline?: string | null;

  @Property({ type: 'json', nullable: true })
  details?: Record<string, unknown> | null;
}

/** One material of an application: an upload (by id, with its hash) or a reference to one the government holds. */
@Entity({ tableName: 'application_material' })
@Unique({ properties: ['application', 'name'] })
export class ApplicationMaterial {
  [OptionalProps]?: 'heldByGovernment';

  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @ManyToOne(() => Application, { deleteRule: 'cascade' })
  application!: Application;

  /** The material's name as the policy's guide lists it. */
  @Property({ type: 'string', length: 100 })
  name!: string;

  /** null when held by the government. */
  @Property({ type: 'string', length: 64, nullable: true })
  uploadId?: string | null;

  @Property({ type: 'boolean' })
  heldByGovernment: boolean = false;

  @Property({ type: 'string', length: 64, nullable: true })
  sha256?: string | null;

  @Property({ type: 'string', length: 100, nullable: true })
  mediaType?: string | null;

  @Property({ type: 'integer', nullable: true })
  size?: number | null;
}
