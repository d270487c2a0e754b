import { Args, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { nowOf } from '../../kit/services';
import { FenScalar } from '../../kit/money';
import { Guard, requireWriter } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import type { ClearingLine as Line } from './clearing';
import { closeFiscalYear, loadClearing, readPolicyTitles } from './clearing.service';
import { FiscalYearClosure } from './fiscal-year.entity';
import { checkedClearingArgs, ClearingArgs, clearingScope, CLEARING_READERS, FiscalYearArgs } from './scope';
import { requireRole } from '../../kit/scope';

@ObjectType({ description: '年度清算的一行：一个部门的一项政策（金额均为分）' })
export class ClearingLine {
  @Field(() => String, { nullable: true, description: '部门代码' })
  department!: string | null;

  @Field(() => String, { nullable: true, description: '部门名称' })
  departmentName!: string | null;

  @Field({ description: '政策编号（合计行为空）' })
  policyId!: string;

  @Field(() => String, { nullable: true, description: '政策名称（经图服务读取；读取失败时为空）' })
  policyTitle!: string | null;

  @Field(() => FenScalar, { description: '预算指标：下达加调整（台账 ASSIGN + ADJUST），市县合计' })
  budgetFen!: number;

  @Field(() => FenScalar, { description: '其中市级指标' })
  cityBudgetFen!: number;

  @Field(() => FenScalar, { description: '其中县级指标' })
  countyBudgetFen!: number;

  @Field(() => FenScalar, { description: '已支付：已到账支付令金额之和' })
  paidFen!: number;

  @Field(() => FenScalar, { description: '已支付中市级资金承担部分' })
  cityPaidFen!: number;

  @Field(() => FenScalar, { description: '已支付中县级资金承担部分' })
  countyPaidFen!: number;

  @Field(() => FenScalar, { description: '在途占用：待发送、已发送支付令金额之和' })
  heldFen!: number;

  @Field(() => FenScalar, { description: '待支付：待预算、失败、退回支付令金额之和' })
  outstandingFen!: number;

  @Field(() => FenScalar, { description: '结余：预算指标 − 在途占用 − 已支付' })
  remainingFen!: number;

  @Field(() => FenScalar, { description: '台账列支（SPEND）之和；与已支付相等即台账与支付令一致' })
  ledgerSpentFen!: number;

  @Field(() => Int)
  paidCount!: number;

  @Field(() => Int)
  heldCount!: number;

  @Field(() => Int)
  outstandingCount!: number;
}

@ObjectType({ description: '年度清算（按部门、政策）' })
export class AnnualClearing {
  @Field(() => Int)
  fiscalYear!: number;

  @Field()
  regionCode!: string;

  @Field(() => String, { nullable: true, description: '只含该部门（部门用户总是只看本部门）' })
  department!: string | null;

  @Field(() => [ClearingLine])
  lines!: Line[];

  @Field(() => ClearingLine, { description: '合计' })
  total!: Line;

  @Field(() => FiscalYearClosure, { nullable: true, description: '该年度已关账时的关账记录' })
  closure!: FiscalYearClosure | null;
}

@Resolver()
export class ClearingResolver {
  @Query(() => AnnualClearing, { description: '年度清算：按部门、政策列出预算、已支付（市级、县级承担）、在途占用、待支付、结余；县财政局、县行政审批局、审计、各部门（含经开区，仅本部门）可查看' })
  @Guard((identity) => requireRole(identity, ...CLEARING_READERS))
  async annualClearing(@Args(() => ClearingArgs) args: ClearingArgs, @Ctx() ctx: Context): Promise<AnnualClearing> {
    const scope = await clearingScope(ctx.identity, args);
    const report = await loadClearing(ctx.em, scope);
    const titles = await readPolicyTitles(ctx.services.graph, report.lines.map((l) => l.policyId), scope.regionCode, ctx.log);
    for (const line of report.lines) line.policyTitle = titles.get(line.policyId) ?? null;
    const closure = await ctx.em.findOne(FiscalYearClosure, { fiscalYear: scope.fiscalYear, regionCode: scope.regionCode });
    return { ...scope, lines: report.lines, total: report.total, closure };
  }

  @Mutation(() => FiscalYearClosure, { description: '年度关账（县财政局）：12 月 31 日后，或全部支付令已到账时；关账后该年度不能再调整预算、生成或重发支付令，查询不受影响' })
  @Guard((identity) => requireWriter(identity, 'FINANCE'))
  async closeFiscalYear(@Args(() => FiscalYearArgs) args: FiscalYearArgs, @Ctx() ctx: Context): Promise<FiscalYearClosure> {
    const checked = await checkedClearingArgs({ fiscalYear: args.fiscalYear, regionCode: args.regionCode });
    return closeFiscalYear(ctx.em, ctx.identity, checked, nowOf(ctx.services));
  }
}
