import { Args, ArgsType, Ctx, Field, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RegionCode, SafeText } from '../kit/validation';
import type { Context } from '../kit/subgraph';
import { Department, Region } from './directory.entity';
import type { EnterpriseLoaders } from './loaders';

type Ctx = Context<EnterpriseLoaders>;

@ArgsType()
class DepartmentsArgs {
  @Field(() => String, { nullable: true })
  @RegionCode()
  regionCode?: string;
}

@ArgsType()
class DepartmentArgs {
  @Field(() => String)
  @SafeText({ label: '部门代码', max: 20 })
  code!: string;
}

/** The public directory: who the departments are and where. Open to everyone, like a government website. */
@Resolver(() => Department)
export class DepartmentResolver {
  @Query(() => [Department], { description: '部门目录（公开）；可按地区筛选' })
  departments(@Args(() => DepartmentsArgs) { regionCode }: DepartmentsArgs, @Ctx() ctx: Ctx): Promise<Department[]> {
    return ctx.em.find(Department, regionCode ? { regionCode } : {}, { orderBy: { code: 'asc' } });
  }

  @Query(() => Department, { nullable: true, description: '按代码查询部门（公开）' })
  department(@Args(() => DepartmentArgs) { code }: DepartmentArgs, @Ctx() ctx: Ctx): Promise<Department | null> {
    return ctx.loaders.department.load(code);
  }

  @FieldResolver(() => Region, { description: '所属地区' })
  region(@Root() department: Department, @Ctx() ctx: Ctx): Promise<Region | null> {
    return ctx.loaders.region.load(department.regionCode);
  }
}

@Resolver(() => Region)
export class RegionResolver {
  @Query(() => [Region], { description: '平台上的行政区划（公开）' })
  regions(@Ctx() ctx: Ctx): Promise<Region[]> {
    return ctx.em.find(Region, {}, { orderBy: { code: 'asc' } });
  }
}
