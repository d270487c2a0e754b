import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { Field, InputType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { departmentAbbr, departmentRegion } from '../../platform/directory';
import { forbidden, invalidInput } from '../../platform/errors';
import type { Identity } from '../../platform/identity';
import { regionCondition, requireAuthenticated } from '../kit/scope';
import { rule, SafeText } from '../kit/validation';
import { AuditEntry, AuditEntryEnterprise, AuditKind } from './audit-entry.entity';

const DEPARTMENT_ROLES = new Set(['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM']);

/** Who reads audit data at all: the auditor, and a department's staff (for its own events). */
export function assertAuditReader(identity: Identity): void {
  requireAuthenticated(identity);
  if (identity.role !== 'AUDITOR' && !DEPARTMENT_ROLES.has(identity.role)) {
    throw forbidden('审计日志仅审计人员及数据所有部门（本部门的记录）可以查看');
  }
}

export function assertAuditor(identity: Identity): void {
  requireAuthenticated(identity);
  if (identity.role !== 'AUDITOR') throw forbidden('仅审计人员可以执行此操作');
}

function KnownDepartment() {
  return rule('knownDepartment', (value) => (typeof value === 'string' && departmentRegion(value) ? undefined : '部门代码无效：应为平台目录中的部门代码，如 360732-TAX'));
}

@InputType({ description: '审计日志筛选（各条件同时满足）' })
export class AuditEventFilter {
  @Field(() => CreditCodeScalar, { nullable: true, description: '涉及的企业' })
  enterprise?: string;

  @Field(() => String, { nullable: true, description: '部门代码（如 360732-TAX）：该部门人员的操作，或该部门所有的数据' })
  @KnownDepartment()
  department?: string;

  @Field(() => String, { nullable: true, description: '操作人（用户标识 subject）' })
  @SafeText({ label: '操作人', max: 128 })
  actor?: string;

  @Field(() => String, { nullable: true, description: '操作，如 registerEnterprise、Enterprise.bankAccount' })
  @SafeText({ label: '操作', max: 200 })
  action?: string;

  @Field(() => String, { nullable: true, description: '实体类名，如 Enterprise' })
  @SafeText({ label: '实体', max: 100 })
  entity?: string;

  @Field(() => AuditKind, { nullable: true })
  kind?: AuditKind;

  @Field(() => Date, { nullable: true, description: '发生时间不早于' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: '发生时间早于' })
  to?: Date;
}

/** Events of a department: caused by its staff, or on data its subgraph owns within its region. */
function departmentCondition(department: string): FilterQuery<AuditEntry> {
  const region = departmentRegion(department)!;
  return { $or: [{ actorDepartment: department }, { ownerDepartment: departmentAbbr(department), ...(regionCondition(region) as object) }] } as FilterQuery<AuditEntry>;
}

/** `"schema".table` on PostgreSQL (raw SQL is not schema-qualified by the ORM), `table` on SQLite. */
function tableName(em: EntityManager, entity: Function): string {
  const meta = em.getMetadata().get(entity.name);
  const schema = meta.schema ?? em.config.get('schema');
  return schema ? `"${schema}"."${meta.tableName}"` : meta.tableName;
}

/**
 * The caller's scope AND the filter, as ORM conditions. A function: the enterprise condition is a
 * raw fragment, used up by the query that takes it (see kit/pagination.ts).
 */
export function auditConditions(em: EntityManager, identity: Identity, filter: AuditEventFilter | undefined | null): () => FilterQuery<AuditEntry> {
  assertAuditReader(identity);
  if (filter?.from && filter?.to && filter.from > filter.to) throw invalidInput([{ field: 'filter.to', message: '结束时间不能早于开始时间' }]);
  const links = tableName(em, AuditEntryEnterprise);
  return () => {
    const conditions: FilterQuery<AuditEntry>[] = [];
    if (identity.role !== 'AUDITOR') conditions.push(departmentCondition(identity.department!));
    if (filter?.department) conditions.push(departmentCondition(filter.department));
    if (filter?.enterprise) {
      conditions.push({ [raw((alias: string) => `${alias}.seq in (select l.seq from ${links} l where l.credit_code = ?)`, [filter.enterprise])]: [] } as FilterQuery<AuditEntry>);
    }
    if (filter?.actor) conditions.push({ actorSubject: filter.actor });
    if (filter?.action) conditions.push({ action: filter.action });
    if (filter?.entity) conditions.push({ entity: filter.entity });
    if (filter?.kind) conditions.push({ kind: filter.kind });
    if (filter?.from) conditions.push({ occurredAt: { $gte: filter.from } });
    if (filter?.to) conditions.push({ occurredAt: { $lt: filter.to } });
    return conditions.length ? { $and: conditions } : {};
  };
}
