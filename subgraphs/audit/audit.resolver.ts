import canonicalize from 'canonicalize';
import { Arg, Args, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { forbidden, invalidInput, type FieldProblem } from '../../platform/errors';
import type { Identity } from '../../platform/identity';
import { ConnectionType, PageArgs, paginate } from '../kit/pagination';
import { Guard, requireWriter } from '../kit/scope';
import { departmentAbbr } from '../../platform/directory';
import type { Context } from '../kit/subgraph';
import { AuditActor, AuditCheckpoint, AuditEntry } from './audit-entry.entity';
import { assertAuditor, assertAuditReader, auditConditions, AuditEventFilter } from './audit-scope';
import { checkpointNow, verifyChain } from './chain';

type Ctx = Context<unknown>;

const AuditEntryConnection = ConnectionType(AuditEntry, 'AuditEntry', '审计日志分页列表（按序号升序）');
const AuditCheckpointConnection = ConnectionType(AuditCheckpoint, 'AuditCheckpoint', '签名检查点分页列表');

@ObjectType({ description: '审计链校验结果' })
class AuditChainReport {
  @Field({ description: '链完整、最近的签名检查点有效' })
  ok!: boolean;

  @Field(() => Int, { description: '本次重新计算哈希的条数（到第一处断链为止）' })
  checkedEntries!: number;

  @Field(() => Int, { nullable: true, description: '第一处断链的序号' })
  firstBrokenSeq!: number | null;

  @Field(() => String, { nullable: true, description: '问题说明' })
  problem!: string | null;

  @Field(() => Int, { nullable: true, description: '最近签名检查点的序号' })
  lastCheckpointSeq!: number | null;

  @Field(() => Boolean, { nullable: true, description: '最近签名检查点签名有效且与日志一致；无检查点时为 null' })
  lastCheckpointVerified!: boolean | null;
}

/**
 * Sealing the head adds a signature and changes no entry, but it is a write: administrators and
 * the audit bureau's own staff (县审计局, department …-AUDIT) may; the AUDITOR role stays read-only.
 */
function assertCheckpointSigner(identity: Identity): void {
  requireWriter(identity);
  const auditStaff = (identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && departmentAbbr(identity.department ?? '') === 'AUDIT';
  if (identity.role !== 'ADMIN' && !auditStaff) throw forbidden('仅管理员或县审计局工作人员可以签名检查点');
}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @Query(() => AuditEntryConnection, { description: '审计日志：审计人员查看全部；部门人员只看本部门人员的操作与本部门数据上的记录' })
  @Guard(assertAuditReader)
  auditEvents(
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Ctx,
  ) {
    return paginate(ctx.em, AuditEntry, auditConditions(ctx.em, ctx.identity, filter), { key: 'seq', first: page.first, after: page.after, max: 100 });
  }

  @FieldResolver(() => AuditActor, { description: '操作人' })
  actor(@Root() entry: AuditEntry): AuditActor {
    return {
      subject: entry.actorSubject,
      role: entry.actorRole,
      region: entry.actorRegion,
      department: entry.actorDepartment,
      creditCode: entry.actorCreditCode,
    };
  }

  @FieldResolver(() => String, { nullable: true, description: '变更前（JSON，敏感字段已脱敏）' })
  before(@Root() entry: AuditEntry): string | null {
    return entry.before ? canonicalize(entry.before)! : null;
  }

  @FieldResolver(() => String, { nullable: true, description: '变更后（JSON，敏感字段已脱敏）' })
  after(@Root() entry: AuditEntry): string | null {
    return entry.after ? canonicalize(entry.after)! : null;
  }
}

@Resolver(() => AuditCheckpoint)
export class AuditChainResolver {
  @Query(() => AuditCheckpointConnection, { description: '签名检查点（仅审计人员）' })
  @Guard(assertAuditor)
  auditCheckpoints(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Ctx) {
    return paginate(ctx.em, AuditCheckpoint, {}, { key: 'seq', first: page.first, after: page.after, max: 100 });
  }

  @Query(() => AuditChainReport, { description: '重新计算哈希链（from–to，含两端；默认全链），并核对最近的签名检查点（仅审计人员）' })
  @Guard(assertAuditor)
  async verifyAuditChain(
    @Arg('from', () => Int, { nullable: true, description: '起始序号（≥ 1）' }) from: number | undefined,
    @Arg('to', () => Int, { nullable: true, description: '结束序号（≥ from）' }) to: number | undefined,
    @Ctx() ctx: Ctx,
  ): Promise<AuditChainReport> {
    const problems: FieldProblem[] = [];
    if (from !== undefined && from !== null && from < 1) problems.push({ field: 'from', message: `起始序号应不小于 1，收到 ${from}` });
    if (to !== undefined && to !== null && to < (from ?? 1)) problems.push({ field: 'to', message: `结束序号应不小于起始序号，收到 ${to}` });
    if (problems.length) throw invalidInput(problems);
    return verifyChain(ctx.em, { from, to });
  }

  @Mutation(() => AuditCheckpoint, { nullable: true, description: '立即为当前链头签名一个检查点（管理员、县审计局工作人员）；空链返回 null。不修改任何日志条目。' })
  @Guard(assertCheckpointSigner)
  signAuditCheckpoint(@Ctx() ctx: Ctx): Promise<AuditCheckpoint | null> {
    return checkpointNow(ctx.em);
  }
}
