import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { echo, invalidInput, notFound } from '../../../platform/errors';
import { checkPageSize, CURSOR_PROBLEM, decodeCursor, encodeCursor, PageArgs } from '../../kit/pagination';
import { assertCanReadEnterpriseKey, Guard, requireAuthenticated, requireWriter } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import { rule, UUID } from '../../kit/validation';
import { MatchingEnterprise } from '../matching/enterprise.stub';
import type { PoliciesLoaders } from '../matching/loader';
import { PolicyMessage, PolicyMessageConnection } from './policy-message.entity';

type Ctx = Context<PoliciesLoaders>;
const MAX_PAGE = 100;
const MAX_IDS = 100;

@ArgsType()
class PolicyMessagesArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'true：只列出未读消息' })
  unreadOnly!: boolean;
}

@ArgsType()
class MarkReadArgs {
  @Field(() => [ID], { description: '消息 id（至多 100 个）' })
  @ArrayMinSize(1, { message: '至少给出一个消息 id' })
  @ArrayMaxSize(MAX_IDS, { message: `一次至多标记 ${MAX_IDS} 条消息` })
  @rule('messageIds', (value) => {
    const bad = (value as unknown[]).find((id) => typeof id !== 'string' || !UUID.test(id));
    return bad === undefined ? undefined : `消息 id 应为 UUID，收到“${echo(bad)}”`;
  })
  ids!: string[];
}

/** A page cursor: the last message's time (epoch ms) and id, the order of "newest first". */
const cursorOf = (m: PolicyMessage) => encodeCursor(`${m.createdAt.getTime()}.${m.id}`);
/** Whether a message comes after the cursor in that order. */
function afterCursor(after: string): (m: PolicyMessage) => boolean {
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(decodeCursor(after));
  if (!match) throw invalidInput([{ field: 'after', message: CURSOR_PROBLEM }]);
  const at = Number(match[1]);
  return (m) => m.createdAt.getTime() < at || (m.createdAt.getTime() === at && m.id < match[2]);
}

/** 精准推送, read side: the enterprise's messages on its Enterprise, and marking them read. */
@Resolver(() => MatchingEnterprise)
export class PolicyMessagesResolver {
  @FieldResolver(() => PolicyMessageConnection, { description: '政策推送消息（最新的在前）：企业本身、所属地区覆盖该企业的工作人员及审计可读' })
  @Guard(requireAuthenticated)
  async policyMessages(@Root() enterprise: MatchingEnterprise, @Args(() => PolicyMessagesArgs) args: PolicyMessagesArgs, @Ctx() ctx: Ctx) {
    // Decided from the key before anything is loaded: the answer never says whether messages exist.
    assertCanReadEnterpriseKey(ctx.identity, enterprise.creditCode);
    const first = checkPageSize(args.first, MAX_PAGE);
    const after = args.after ? afterCursor(args.after) : undefined;
    // Batched over every enterprise of the query (push/loader.ts), newest first.
    const all = await ctx.loaders.policyMessages.load(enterprise.creditCode);
    const matching = args.unreadOnly ? all.filter((m) => m.readAt === null) : all;
    const rest = after ? matching.filter(after) : matching;
    const nodes = rest.slice(0, first);
    return { nodes, totalCount: matching.length, pageInfo: { hasNextPage: rest.length > first, endCursor: nodes.length ? cursorOf(nodes[nodes.length - 1]) : null } };
  }
}

@Resolver(() => PolicyMessage)
export class PolicyMessageMutationResolver {
  @Mutation(() => [PolicyMessage], { description: '将本企业的推送消息标记为已读（可重复调用；已读的保持原阅读时间）。仅企业本身' })
  @Guard((identity) => requireWriter(identity, 'ENTERPRISE'))
  async markPolicyMessagesRead(@Args(() => MarkReadArgs) { ids }: MarkReadArgs, @Ctx() ctx: Ctx): Promise<PolicyMessage[]> {
    const wanted = [...new Set(ids)];
    return ctx.em.transactional(async (em) => {
      const mine = await em.find(PolicyMessage, { id: { $in: wanted }, creditCode: ctx.identity.creditCode! });
      // Another enterprise's message is as absent as a missing one, and nothing is changed.
      const missing = wanted.find((id) => !mine.some((m) => m.id === id));
      if (missing) throw notFound('推送消息', missing);
      const now = new Date();
      for (const message of mine) message.readAt ??= now;
      await em.flush();
      return wanted.map((id) => mine.find((m) => m.id === id)!);
    });
  }
}
