import { GraphQLJSON } from 'graphql-scalars';
import { Args, ArgsType, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { forbidden, notFound } from '../../../platform/errors';
import { regionCovers, type Identity } from '../../../platform/identity';
import { Guard, regionCondition, requireRole } from '../../kit/scope';
import type { Context } from '../../kit/subgraph';
import { RegionCode, rule, UUID } from '../../kit/validation';
import { Application } from '../application.entity';
import type { ApplicationsLoaders } from '../loaders';
import { verifyDossier } from './dossier';
import { ArchivedDossier } from './dossier.entity';

type Ctx = Context<ApplicationsLoaders>;

/** Who reads archived dossiers: the auditor any, the Approval Bureau its region's, the enterprise its own. */
const DOSSIER_READERS = ['AUDITOR', 'APPROVAL_BUREAU', 'ENTERPRISE'] as const;
const VERIFIERS = ['AUDITOR', 'APPROVAL_BUREAU'] as const;
const BATCH = 200;

@ArgsType()
class DossierArgs {
  @Field(() => ID, { description: '办件编号' })
  @rule('applicationId', (v) => (typeof v === 'string' && UUID.test(v) ? undefined : '办件编号应为 UUID'))
  applicationId!: string;
}

@ArgsType()
class VerifyArgs {
  @Field({ description: '地区代码（县或市），须在调用者所属地区内' })
  @RegionCode()
  regionCode!: string;
}

@ObjectType('ArchivedDossier', { description: '归集存档的办件卷宗：规范化 JSON（RFC 8785）及其 SHA-256，存档后不可更改' })
export class ArchivedDossierView {
  @Field(() => ID) applicationId!: string;
  @Field({ description: '存档时计算的 SHA-256（十六进制）' }) sha256!: string;
  @Field() archivedAt!: Date;
  @Field(() => GraphQLJSON, { description: '卷宗：申请、材料及其 SHA-256、每一步骤与决定、联合审核结论与发现、拨付凭证' }) json!: unknown;
  @Field({ description: '被计算哈希的规范化 JSON 原文：可自行计算 SHA-256 核对' }) canonicalJson!: string;
  @Field({ description: '现在重新计算的哈希与存档时的一致（卷宗未被改动）' }) verified!: boolean;
}

@ObjectType({ description: '一个地区全部存档卷宗的核验结果' })
export class DossierVerification {
  @Field() regionCode!: string;
  @Field(() => Int) checked!: number;
  @Field(() => Int) verified!: number;
  @Field(() => [ID], { description: '哈希不符（被改动）的卷宗的办件编号' }) failed!: string[];
}

/** May this reader see this case's dossier? (The caller's role was checked before anything was loaded.) */
function canReadDossier(identity: Identity, owner: { regionCode: string; creditCode: string }): boolean {
  switch (identity.role) {
    case 'AUDITOR':
      return true;
    case 'APPROVAL_BUREAU':
      return !!identity.region && regionCovers(identity.region, owner.regionCode);
    case 'ENTERPRISE':
      return identity.creditCode === owner.creditCode;
    default:
      return false;
  }
}

function view(row: ArchivedDossier): ArchivedDossierView {
  let json: unknown = null;
  try {
    json = JSON.parse(row.json);
  } catch {
    // A tampered text that is no longer JSON: shown as null, and not verified.
  }
  return { applicationId: row.applicationId, sha256: row.sha256, archivedAt: row.archivedAt, json, canonicalJson: row.json, verified: verifyDossier(row) };
}

/** 归集存档: auditors, the Approval Bureau and the enterprise read a paid case's dossier and check it has not changed. */
@Resolver()
export class ArchiveResolver {
  @Query(() => ArchivedDossierView, {
    nullable: true,
    description: '办件的归集存档卷宗（审计、本地区行政审批局、企业本身）：verified 为现在重新计算的哈希是否一致；尚未归档时为 null',
  })
  @Guard((identity) => requireRole(identity, ...DOSSIER_READERS))
  async archivedDossier(@Args(() => DossierArgs) { applicationId }: DossierArgs, @Ctx() ctx: Ctx): Promise<ArchivedDossierView | null> {
    // The case decides who sees it (a case one may not read is NOT_FOUND, as one that does not exist).
    const application = await ctx.em.findOne(Application, { id: applicationId }, { fields: ['id', 'regionCode', 'creditCode'] });
    if (!application || !canReadDossier(ctx.identity, application)) throw notFound('办件', applicationId);
    const row = await ctx.em.findOne(ArchivedDossier, { applicationId });
    return row ? view(row) : null;
  }

  @Query(() => DossierVerification, { description: '核验一个地区全部存档卷宗的哈希（审计、本地区行政审批局）' })
  @Guard((identity) => requireRole(identity, ...VERIFIERS))
  async verifyArchivedDossiers(@Args(() => VerifyArgs) { regionCode }: VerifyArgs, @Ctx() ctx: Ctx): Promise<DossierVerification> {
    const identity = ctx.identity;
    if (identity.role === 'APPROVAL_BUREAU' && !(identity.region && regionCovers(identity.region, regionCode))) {
      throw forbidden(`无权核验该地区的存档：您所属地区为 ${identity.region ?? '无'}`);
    }
    const result: DossierVerification = { regionCode, checked: 0, verified: 0, failed: [] };
    // In pages by key, each page forgotten after it is checked: memory stays flat however many cases.
    let after = '';
    for (;;) {
      const em = ctx.em.fork();
      const rows = await em.find(ArchivedDossier, { $and: [regionCondition(regionCode) as object, { applicationId: { $gt: after } }] }, { orderBy: { applicationId: 'asc' }, limit: BATCH });
      for (const row of rows) {
        result.checked += 1;
        if (verifyDossier(row)) result.verified += 1;
        else result.failed.push(row.applicationId);
      }
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].applicationId;
    }
    return result;
  }
}
