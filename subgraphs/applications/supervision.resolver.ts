import type { FilterQuery } from '@mikro-orm/core';
import { Args, ArgsType, Ctx, Field, Float, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { DEPARTMENTS } from '../../platform/directory';
import { forbidden, invalidInput } from '../../platform/errors';
import { regionCovers, type Identity } from '../../platform/identity';
import { toChinaDate } from '../kit/calendar';
import { Guard, regionCondition, requireRole } from '../kit/scope';
import { nowOf } from '../kit/services';
import type { Context } from '../kit/subgraph';
import { CalendarDate, RegionCode } from '../kit/validation';
import { Application, ApplicationStep } from './application.entity';
import { ApplicationView } from './application.types';
import { applicationView } from './application.view';
import type { ApplicationsLoaders } from './loaders';
import { NEAR_DEADLINE_SHARE, stepDurations, superviseOpenCases, type DeadlineStanding } from './supervision';
import { STATUS_NAMES, type ApplicationStatus } from './workflow/table';

type Ctx = Context<ApplicationsLoaders>;

const SUPERVISORS = ['APPROVAL_BUREAU', 'AUDITOR', 'ADMIN'] as const;
/** Durations are read over at most this many days back (a year and a bit): supervision looks at recent work. */
const MAX_PERIOD_DAYS = 400;
/** States whose deadline is watched: a deadline is stored only where a step has a time limit. */
const CLOSED: ApplicationStatus[] = ['REJECTED', 'PAID', 'ARCHIVED'];

const departmentNames = new Map(DEPARTMENTS.map((d) => [d.code, d.shortName]));

@ArgsType()
class SupervisionArgs {
  @Field({ description: '地区代码（县或市），须在调用者所属地区内' })
  @RegionCode()
  regionCode!: string;

  @Field(() => String, { nullable: true, description: '督办日期 YYYY-MM-DD（北京时间），默认今天' })
  @CalendarDate({ label: '督办日期', min: '2000-01-01', max: '2099-12-31' })
  asOf?: string | null;

  @Field(() => String, { nullable: true, description: '步骤用时统计的起始日期（离开该状态的日期），默认督办日期前一年' })
  @CalendarDate({ label: '统计起始日期', min: '2000-01-01', max: '2099-12-31' })
  from?: string | null;
}

@ObjectType({ description: '督办中的一件办件：当前步骤的期限与已用工作日' })
export class SupervisedCase {
  @Field(() => ApplicationView) application!: ApplicationView;
  @Field({ description: '当前步骤的办理期限（YYYY-MM-DD）' }) deadline!: string;
  @Field(() => Int, { description: '当前步骤的时限（工作日）' }) deadlineWorkdays!: number;
  @Field(() => Int, { description: '已用工作日' }) usedWorkdays!: number;
  @Field(() => Int, { description: '剩余工作日（含期限当日）' }) remainingWorkdays!: number;
  @Field(() => Int, { description: '超期工作日' }) overdueWorkdays!: number;
  @Field(() => Float, { description: '已用比例 0–1' }) shareUsed!: number;
}

@ObjectType({ description: '一个部门的超期办件' })
export class OverdueDepartment {
  @Field({ description: '主管部门代码' }) department!: string;
  @Field(() => String, { nullable: true, description: '部门简称' }) departmentName!: string | null;
  @Field(() => Int) count!: number;
  @Field(() => [SupervisedCase]) cases!: SupervisedCase[];
}

@ObjectType('SupervisionStepDuration', { description: '一种状态在一个部门的用时（工作日，按法定节假日与调休计）' })
export class StepDurationView {
  @Field({ description: '状态' }) status!: string;
  @Field({ description: '状态名称' }) statusName!: string;
  @Field({ description: '主管部门代码' }) department!: string;
  @Field(() => String, { nullable: true }) departmentName!: string | null;
  @Field(() => Int, { description: '统计期内离开该状态的次数' }) count!: number;
  @Field(() => Float, { description: '平均用时（工作日）' }) averageWorkdays!: number;
  @Field(() => Int, { description: '最长用时（工作日）' }) maxWorkdays!: number;
  @Field({ description: '用时最长的办件编号' }) slowestApplicationId!: string;
}

@ObjectType({ description: '办件督办（县行政审批局）：临近期限、超期（按部门）与各步骤用时；均由留存的期限与步骤时间计算，重启后即准确' })
export class Supervision {
  @Field() regionCode!: string;
  @Field({ description: '督办日期' }) asOf!: string;
  @Field({ description: '步骤用时统计的起始日期' }) from!: string;
  @Field(() => Float, { description: '临近期限的阈值：已用时限的比例' }) nearDeadlineShare!: number;
  @Field(() => [SupervisedCase], { description: '临近期限（已用 ≥ 80% 的工作日，未超期），期限最近的在前' }) nearDeadline!: SupervisedCase[];
  @Field(() => Int, { description: '超期办件总数' }) overdueCount!: number;
  @Field(() => [OverdueDepartment], { description: '超期办件，按部门（件数多的在前）' }) overdueByDepartment!: OverdueDepartment[];
  @Field(() => [StepDurationView], { description: '各状态在各部门的用时' }) stepDurations!: StepDurationView[];
}

function assertCanSupervise(identity: Identity, regionCode: string): void {
  if (identity.role === 'AUDITOR') return;
  if (!identity.region || !regionCovers(identity.region, regionCode)) throw forbidden(`无权督办地区 ${regionCode}：您所属地区为 ${identity.region ?? '无'}`);
}

/** A China date `days` before `date`. */
const daysBefore = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
/** The last instant of a China date. */
const endOfChinaDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86_400_000 - 1);

@Resolver()
export class SupervisionResolver {
  @Query(() => Supervision, { description: '办件督办：本地区临近期限（已用 80% 时限）的办件、按部门的超期办件、各步骤用时（工作日）' })
  @Guard((identity) => requireRole(identity, ...SUPERVISORS))
  async supervision(@Args(() => SupervisionArgs) args: SupervisionArgs, @Ctx() ctx: Ctx): Promise<Supervision> {
    assertCanSupervise(ctx.identity, args.regionCode);
    const asOf = args.asOf ?? toChinaDate(nowOf(ctx.services));
    const from = args.from ?? daysBefore(asOf, 365);
    if (from > asOf) throw invalidInput([{ field: 'from', message: `统计起始日期 ${from} 不能晚于督办日期 ${asOf}` }]);
    if (from < daysBefore(asOf, MAX_PERIOD_DAYS)) throw invalidInput([{ field: 'from', message: `统计期最长 ${MAX_PERIOD_DAYS} 天` }]);
    const region = regionCondition(args.regionCode) as FilterQuery<Application>;

    // Open cases with a running deadline: what the deadline says, counted on the official calendar.
    const open = await ctx.em.find(Application, { $and: [region, { deadline: { $ne: null }, deadlineWorkdays: { $ne: null }, status: { $nin: CLOSED } }] }, { orderBy: { id: 'asc' } });
    const byId = new Map(open.map((a) => [a.id, a]));
    const { near, overdueByDepartment } = superviseOpenCases(
      open.map((a) => ({ id: a.id, department: a.department, deadline: a.deadline!, deadlineWorkdays: a.deadlineWorkdays! })),
      asOf,
    );
    const supervised = (c: { id: string; deadline: string; deadlineWorkdays: number; standing: DeadlineStanding }): SupervisedCase => ({
      application: applicationView(byId.get(c.id)!) as ApplicationView,
      deadline: c.deadline,
      deadlineWorkdays: c.deadlineWorkdays,
      usedWorkdays: c.standing.usedWorkdays,
      remainingWorkdays: c.standing.remainingWorkdays,
      overdueWorkdays: c.standing.overdueWorkdays,
      shareUsed: Math.round(c.standing.shareUsed * 100) / 100,
    });

    // Step durations: the timestamps of the steps of the region's cases up to the end of asOf.
    const steps = await ctx.em.find(
      ApplicationStep,
      { application: region as FilterQuery<Application>, at: { $lte: endOfChinaDay(asOf) } },
      { fields: ['seq', 'toStatus', 'at', 'application.department'], orderBy: { application: 'asc', seq: 'asc' } },
    );
    const departments = new Map(steps.map((s) => [s.application.id, s.application.department]));
    const durations = stepDurations(
      steps.map((s) => ({ application: s.application.id, seq: s.seq, toStatus: s.toStatus, at: s.at })),
      (id) => departments.get(id),
      { from, to: asOf },
    );

    return {
      regionCode: args.regionCode,
      asOf,
      from,
      nearDeadlineShare: NEAR_DEADLINE_SHARE,
      nearDeadline: near.map(supervised),
      overdueCount: overdueByDepartment.reduce((n, g) => n + g.cases.length, 0),
      overdueByDepartment: overdueByDepartment.map((g) => ({ department: g.department, departmentName: departmentNames.get(g.department) ?? null, count: g.cases.length, cases: g.cases.map(supervised) })),
      stepDurations: durations.map((d) => ({
        status: d.status,
        statusName: STATUS_NAMES[d.status as ApplicationStatus] ?? d.status,
        department: d.department,
        departmentName: departmentNames.get(d.department) ?? null,
        count: d.count,
        averageWorkdays: d.averageWorkdays,
        maxWorkdays: d.maxWorkdays,
        slowestApplicationId: d.slowestApplication,
      })),
    };
  }
}
