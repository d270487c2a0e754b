import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type { EnterpriseKey } from './enterprise';
import type { SourceRecord } from './record';
import { readSource, type SourceContext } from './source';
import type { SourceInfo } from './source-info';

export interface RecordsGroup<R> {
  records: R[];
  inEffect: number;
  latestOn: string | null;
  asOf: Date;
}

/** The plain field group of a source whose records are cases (penalties, violations…): the list and counts. */
export function recordsGroup<R extends SourceRecord>(options: {
  info: SourceInfo;
  enterprise: new () => EnterpriseKey;
  record: new () => R;
  typeName: string;
  description: string;
}): { type: Function; resolver: Function } {
  const { info } = options;
  @ObjectType(options.typeName, { description: options.description })
  class Group implements RecordsGroup<R> {
    @Field(() => [options.record], { description: '全部记录（含历史），按发生日期倒序' })
    records!: R[];

    @Field(() => Int, { description: '仍然有效（未结束）的记录数' })
    inEffect!: number;

    @Field(() => String, { nullable: true, description: '最近一条记录的发生日期；无记录时为 null' })
    latestOn!: string | null;

    @Field({ description: '来源数据的时点' })
    asOf!: Date;
  }

  @Resolver(() => options.enterprise)
  class GroupResolver {
    @FieldResolver(() => Group, { name: info.fieldPrefix, nullable: true, description: options.description })
    async group(@Root() enterprise: EnterpriseKey, @Ctx() ctx: SourceContext<R>): Promise<Group> {
      const answer = await readSource(ctx, info, enterprise.creditCode, `Enterprise.${info.fieldPrefix}`);
      const records = [...answer.records].sort((a, b) => b.occurredOn.localeCompare(a.occurredOn));
      return {
        records,
        inEffect: records.filter((r) => !r.endsOn).length,
        latestOn: records[0]?.occurredOn ?? null,
        asOf: answer.sourceAsOf ?? new Date(),
      };
    }
  }
  return { type: Group, resolver: GroupResolver };
}
