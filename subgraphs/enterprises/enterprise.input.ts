import { Field, InputType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import { EnterpriseScale, EnterpriseTag } from './enterprise.entity';

@InputType({ description: '企业列表筛选条件（均为可选，条件之间为“且”）' })
export class EnterpriseFilter {
  @Field(() => String, { nullable: true, description: '地区代码；须在调用者所属地区范围内' })
  regionCode?: string;

  @Field(() => String, { nullable: true, description: '行业：门类字母（如 C）或门类+大类（如 C39）' })
  industry?: string;

  @Field(() => EnterpriseScale, { nullable: true })
  scale?: EnterpriseScale;

  @Field(() => EnterpriseTag, { nullable: true, description: '带有此标签' })
  tag?: EnterpriseTag;

  @Field(() => String, { nullable: true, description: '名称包含' })
  nameContains?: string;
}

@InputType({ description: '登记（新增）企业。由市场监管部门系统或管理员调用。' })
export class RegisterEnterpriseInput {
  @Field(() => CreditCodeScalar)
  creditCode!: string;

  @Field()
  name!: string;

  @Field({ description: '法定代表人姓名' })
  legalRepresentative!: string;

  @Field({ description: '法定代表人身份证号码' })
  legalRepresentativeIdNumber!: string;

  @Field({ description: '成立日期 YYYY-MM-DD' })
  registeredOn!: string;

  @Field()
  regionCode!: string;

  @Field({ description: 'GB/T 4754-2017 行业代码，如 C39' })
  industryCode!: string;

  @Field(() => EnterpriseScale)
  scale!: EnterpriseScale;

  @Field(() => [EnterpriseTag], { defaultValue: [] })
  tags!: EnterpriseTag[];

  @Field()
  address!: string;

  @Field({ description: '开户银行' })
  bankName!: string;

  @Field({ description: '银行账号（数字）' })
  bankAccount!: string;
}
