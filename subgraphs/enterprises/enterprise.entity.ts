import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { decodeSet } from '../kit/set-column';
import { Sensitive } from '../kit/audit-trail';
import { maskBankAccount, maskIdNumber, maskPersonName } from '../kit/mask';
import { ENTERPRISE_TAG_NAMES, EnterpriseScale, EnterpriseTag } from '../kit/enterprise-vocabulary';

export { EnterpriseScale, EnterpriseTag };
registerEnumType(EnterpriseScale, {
  name: 'EnterpriseScale',
  description: '企业规模（国统字〔2017〕213号）：大型、中型、小型、微型',
});
registerEnumType(EnterpriseTag, {
  name: 'EnterpriseTag',
  description: '企业标签',
  valuesConfig: Object.fromEntries(Object.entries(ENTERPRISE_TAG_NAMES).map(([tag, description]) => [tag, { description }])),
});

/**
 * An enterprise in the market-supervision registry. The ORM entity is the GraphQL type; the
 * sensitive columns (legal representative's ID number, bank account) have no @Field and are only
 * exposed masked, through EnterpriseResolver.
 */
@ObjectType({ description: '企业（市场主体）。Owned by the enterprises subgraph; other subgraphs add fields by creditCode.' })
@Directive('@key(fields: "creditCode")')
@Entity({ tableName: 'enterprise' })
// Region first: every official's list is scoped by region and ordered by credit code.
@Index({ properties: ['regionCode', 'creditCode'] })
@Index({ properties: ['regionCode', 'industryCode'] })
export class Enterprise {
  [OptionalProps]?: 'tags' | 'createdAt' | 'updatedAt';

  @Field(() => CreditCodeScalar, { description: '统一社会信用代码' })
  @PrimaryKey({ type: 'string', length: 18 })
  creditCode!: string;

  @Field({ description: '企业名称' })
  @Property({ type: 'string', length: 200, unique: true })
  name!: string;

  @Sensitive(maskPersonName)
  @Property({ type: 'string', length: 50 })
  legalRepresentative!: string;

  @Sensitive(maskIdNumber)
  @Property({ type: 'string', length: 18 })
  legalRepresentativeIdNumber!: string;

  @Field({ description: '成立日期 YYYY-MM-DD' })
  @Property({ type: 'string', length: 10 })
  registeredOn!: string;

  @Field({ description: '所在地区行政区划代码（GB/T 2260）' })
  @Property({ type: 'string', length: 6, index: true })
  regionCode!: string;

  @Field({ description: '国民经济行业分类代码（GB/T 4754-2017 门类+大类，如 C39）' })
  @Property({ type: 'string', length: 3 })
  industryCode!: string;

  @Field(() => EnterpriseScale, { description: '企业规模' })
  @Enum({ items: Object.values(EnterpriseScale) })
  scale!: EnterpriseScale;

  /** Stored as `,TAG,TAG,` so a tag filter is one LIKE on SQLite and PostgreSQL alike. */
  @Property({ type: 'string', length: 200 })
  tagList!: string;

  @Field({ description: '注册地址' })
  @Property({ type: 'string', length: 300 })
  address!: string;

  @Property({ type: 'string', length: 100 })
  bankName!: string;

  @Sensitive(maskBankAccount)
  @Property({ type: 'string', length: 32 })
  bankAccount!: string;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt?: Date;

  @Property({ type: 'datetime', onCreate: () => new Date(), onUpdate: () => new Date() })
  updatedAt?: Date;

  @Field(() => [EnterpriseTag], { description: '企业标签' })
  get tags(): EnterpriseTag[] {
    return decodeSet<EnterpriseTag>(this.tagList);
  }
}
