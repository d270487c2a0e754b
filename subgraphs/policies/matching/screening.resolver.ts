import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { Arg, Args, ArgsType, Ctx, Directive, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, echo, forbidden, invalidInput, notFound } from '../../../platform/errors';
import { regionCovers, type Identity, type Role } from '../../../platform/identity';
import { toChinaDate } from '../../kit/calendar';
import { checkPageSize, decodeCursor, encodeCursor } from '../../kit/pagination';
import { assertCanReadPopulation, parsePopulationRegion } from '../../kit/population';
import { requireAuthenticated } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import { CalendarDate, UUID } from '../../kit/validation';
import { Policy } from '../policy.entity';
import { assertCanSee, policyViews } from '../policy.service';
import { PolicyScreeningRun } from './screening-run.entity';
import type { PoliciesLoaders } from './loader';
import type { PublishedPolicy } from './match';
import { explainEntry, POPULATION_TABLES, screenPopulation, type Population } from './screen';
import { PolicyScreening, ScreeningEntryConnection, ScreeningOutcome, ScreeningPopulation } from './screening.types';

type Ctx = Context<PoliciesLoaders>;

/** `@requires` of screening, built from the INDICATORS registry (as the calculator's). */
export const SCREENING_REQUIRES = ['members', ...POPULATION_TABLES].join(' ');

/** The department tools' users: officials who read the sources, and the auditor. */
const SCREENERS: ReadonlySet<Role> = new Set<Role>(['DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM', 'APPROVAL_BUREAU', 'FINANCE', 'ADMIN', 'AUDITOR']);

/** The most entries of one page: 500 with its pageInfo is half the gateway's default query cost (5,000). */
const MAX_ENTRIES_PAGE = 500;

function assertCanScreen(identity: Identity, regionCode: string): void {
  requireAuthenticated(identity);
  if (!SCREENERS.has(identity.role!)) throw forbidden('无权筛查：仅主管部门、审批局、财政、管理员与审计人员可以筛查政策对象');
  assertCanReadPopulation(identity, regionCode);
}

/** An entry as kept with its screening: what a page shows. */
interface StoredEntry {
  creditCode: string;
  outcome: ScreeningOutcome;
  amountFen: number | null;
  amountText: string;
  explanation: string[];
}
interface StoredEntries {
  eligible: StoredEntry[];
  unknown: StoredEntry[];
}

/** What `entries` pages through: the screening's entries, explained. */
interface Screened extends PolicyScreening {
  stored: StoredEntries;
}

/**
 * Kept screenings recently written or read, decoded: a department pages through one white list
 * (34 pages for a city) and each page would otherwise unzip and parse all of it again. A kept
 * screening never changes, so a process-local cache is never stale.
 */
const decoded = new LRUCache<string, StoredEntries>({ max: 8 });


function explainAll(policy: PublishedPolicy, population: Population, entries: ReturnType<typeof screenPopulation>['eligible'], today: string): StoredEntry[] {
  return entries.map((entry) => {
    const { creditCode, outcome, amountFen, amountText, explanation } = explainEntry(policy, population, entry, today);
    return { creditCode, outcome, amountFen, amountText, explanation };
  });
}

function view(run: PolicyScreeningRun, policy: PolicyScreening['policy'], stored: StoredEntries): Screened {
  return {
    id: run.id,
    policy,
    version: run.version,
    regionCode: run.regionCode,
    evaluatedOn: run.evaluatedOn,
    screened: run.screened,
    eligibleCount: run.eligibleCount,
    unknownCount: run.unknownCount,
    totalAmountFen: run.totalAmountFen,
    digest: run.digest,
    screenedAt: run.createdAt,
    stored,
  };
}

@ArgsType()
class ScreeningArgs {
  @Field(() => String, { description: '政策编号，如 XG-2026-005（须为已发布政策）' })
  policyId!: string;

  @Field(() => String, { nullable: true, description: '计算日期 YYYY-MM-DD（“当年”“注册满一年”等按此日期计算），默认今天（北京时间）' })
  @CalendarDate({ label: '计算日期', min: '2000-01-01' })
  asOf?: string | null;
}

@Resolver(() => ScreeningPopulation)
export class PopulationScreeningResolver {
  @FieldResolver(() => PolicyScreening, {
    description:
      '政策筛查：一项已发布政策对本地区全部企业逐一判断，得出免申即享白名单（符合，由主管部门确认）与待核实名单（缺少数据）。指标经联邦图从各来源子图按调用者身份读取；与逐家企业使用政策计算器的结论一致。',
  })
  @Directive(`@requires(fields: "${SCREENING_REQUIRES}")`)
  async screening(@Root() population: ScreeningPopulation, @Args(() => ScreeningArgs) args: ScreeningArgs, @Ctx() ctx: Ctx): Promise<Screened> {
    const regionCode = parsePopulationRegion(population.regionCode);
    assertCanScreen(ctx.identity, regionCode);
    const catalog = await ctx.loaders.publishedCatalog();
    const policy = catalog.policies.find((p) => p.id === args.policyId);
    if (!policy) {
      // Exists but not served (draft, suspended, expired, repealed) → say so; otherwise not found.
      const known = await ctx.em.findOne(Policy, { id: args.policyId });
      if (!known) throw notFound('政策', args.policyId);
      assertCanSee(ctx.identity, known);
      throw badInput(`政策 ${args.policyId} 当前状态为 ${known.status}，只有已发布的政策可以筛查`, { status: known.status });
    }
    if (!regionCovers(policy.regionCode, regionCode) && !regionCovers(regionCode, policy.regionCode)) {
      throw badInput(`政策 ${policy.id} 适用于地区 ${policy.regionCode}，与筛查地区 ${regionCode} 不重叠`);
    }
    const evaluatedOn = args.asOf ?? toChinaDate(new Date());
    const pop: Population = {
      creditCodes: (population.members?.creditCode ?? []) as string[],
      tables: { registry: population.registry, tax: population.tax, statistics: population.statistics, credit: population.credit },
    };
    const result = screenPopulation(policy, pop, regionCode, evaluatedOn);
    // Every entry explained once and kept with the screening: pages are read from it, never by
    // screening the region again, and issue 9 confirms this very list (id and digest).
    const stored: StoredEntries = { eligible: explainAll(policy, pop, result.eligible, evaluatedOn), unknown: explainAll(policy, pop, result.unknown, evaluatedOn) };
    const run = Object.assign(new PolicyScreeningRun(), {
      id: randomUUID(),
      policyId: policy.id,
      version: result.version,
      regionCode,
      evaluatedOn,
      screened: result.screened,
      eligibleCount: result.eligible.length,
      unknownCount: result.unknown.length,
      totalAmountFen: result.totalAmountFen,
      digest: result.digest,
      screenedByRole: ctx.identity.role!,
      screenedBy: ctx.identity.subject ?? null,
      // Level 1: the entries of a city compress about 10× at a fraction of the default level's time.
      entries: gzipSync(JSON.stringify(stored), { level: 1 }),
    });
    const fork = ctx.em.fork();
    fork.persist(run);
    await fork.flush();
    decoded.set(run.id, stored);
    return view(run, catalog.views.get(policy.id)!, stored);
  }
}

@ArgsType()
class EntriesArgs {
  @Field(() => Int, { defaultValue: 100, description: `每页条数（1–${MAX_ENTRIES_PAGE}）` })
  first!: number;

  @Field(() => String, { nullable: true, description: '上一页的 endCursor' })
  after?: string | null;

  @Field(() => ScreeningOutcome, { defaultValue: ScreeningOutcome.ELIGIBLE, description: 'ELIGIBLE：白名单；UNKNOWN：待核实' })
  outcome!: ScreeningOutcome;
}

@Resolver(() => PolicyScreening)
export class PolicyScreeningResolver {
  @Query(() => PolicyScreening, { description: '读取一次已完成的筛查（按 screening 返回的 id），分页读取其白名单无需重新筛查；仅可筛查该地区的工作人员与审计人员可见' })
  async policyScreening(@Arg('id', () => ID) id: string, @Ctx() ctx: Ctx): Promise<Screened> {
    requireAuthenticated(ctx.identity);
    if (!SCREENERS.has(ctx.identity.role!)) throw forbidden('无权查看筛查结果：仅主管部门、审批局、财政、管理员与审计人员可以查看');
    if (typeof id !== 'string' || !UUID.test(id)) throw invalidInput([{ field: 'id', message: `筛查编号应为 UUID，收到“${echo(id)}”` }]);
    const run = await ctx.em.findOne(PolicyScreeningRun, { id });
    // Another region's screening is as if absent: its existence is not the caller's business.
    if (!run || !(ctx.identity.role === 'AUDITOR' || (ctx.identity.region && regionCovers(ctx.identity.region, run.regionCode)))) throw notFound('筛查', id);
    const policy = await ctx.em.findOneOrFail(Policy, { id: run.policyId });
    const [policyView] = await policyViews(ctx.em, ctx.identity, [policy]);
    let stored = decoded.get(run.id);
    if (!stored) {
      await ctx.em.populate(run, ['entries']);
      decoded.set(run.id, (stored = JSON.parse(gunzipSync(run.entries).toString('utf8')) as StoredEntries));
    }
    return view(run, policyView, stored);
  }

  @FieldResolver(() => ScreeningEntryConnection, { description: `筛查结果（按信用代码排序，游标分页，每页 1–${MAX_ENTRIES_PAGE} 条）` })
  entries(@Root() screening: Screened, @Args(() => EntriesArgs) args: EntriesArgs): ScreeningEntryConnection {
    const first = checkPageSize(args.first, MAX_ENTRIES_PAGE);
    const list = args.outcome === ScreeningOutcome.UNKNOWN ? screening.stored.unknown : screening.stored.eligible;
    let start = 0;
    if (args.after) {
      const after = decodeCursor(args.after);
      // Entries are in credit-code order: the first one after the cursor's code.
      let lo = 0, hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (list[mid].creditCode <= after) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const page = list.slice(start, start + first);
    const nodes = page.map((entry) => ({ ...entry, enterprise: { creditCode: entry.creditCode } }));
    return {
      nodes,
      totalCount: list.length,
      pageInfo: { hasNextPage: start + first < list.length, endCursor: page.length ? encodeCursor(page[page.length - 1].creditCode) : null },
    };
  }
}
