import { Field, InputType } from 'type-graphql';
import { CreditCodeScalar } from '../../platform/credit-code';
import {
  BankAccountNumber,
  CalendarDate,
  CreditCodeInRegion,
  IndustryCode,
  IndustryFilter,
  RegionCode,
  ResidentId,
  SafeText,
} from '../kit/validation';
import { EnterpriseScale, EnterpriseTag } from './enterprise.entity';

/** The People's Republic's founding day: no enterprise on the register is older. */
const EARLIEST_REGISTRATION = '1949-10-01';

@InputType({ description: '企业列表筛选条件（均为可选，条件之间为“且”）' })
export class EnterpriseFilter {
  @Field(() => String, { nullable: true, description: '地区代码；须在调用者所属地区范围内' })
  @RegionCode()
  regionCode?: string;

  @Field(() => String, { nullable: true, description: '行业：门类字母（如 C）或门类+大类（如 C39）' })
  @IndustryFilter()
  industry?: string;

  @Field(() => EnterpriseScale, { nullable: true })
  scale?: EnterpriseScale;

  @Field(() => EnterpriseTag, { nullable: true, description: '带有此标签' })
  tag?: EnterpriseTag;

  @Field(() => String, { nullable: true, description: '名称包含' })
  @SafeText({ label: '名称筛选', max: 200 })
  nameContains?: string;
}

// Maximum lengths are the columns' (enterprise.entity.ts).
@InputType({ description: '登记（新增）企业。由市场监管部门系统或管理员调用。' })
export class RegisterEnterpriseInput {
  @Field(() => CreditCodeScalar)
  @CreditCodeInRegion('regionCode')
  creditCode!: string;

  @Field()
  @SafeText({ label: '企业名称', min: 2, max: 200 })
  name!: string;

  @Field({ description: '法定代表人姓名' })
  @SafeText({ label: '法定代表人姓名', min: 2, max: 50 })
  legalRepresentative!: string;

  @Field({ description: '法定代表人身份证号码' })
  @ResidentId()
  legalRepresentativeIdNumber!: string;

  @Field({ description: '成立日期 YYYY-MM-DD' })
  @CalendarDate({ label: '成立日期', min: EARLIEST_REGISTRATION })
  registeredOn!: string;

  @Field()
  @RegionCode()
  regionCode!: string;

  @Field({ description: 'GB/T 4754-2017 行业代码，如 C39' })
  @IndustryCode()
  industryCode!: string;

  @Field(() => EnterpriseScale)
  scale!: EnterpriseScale;

  @Field(() => [EnterpriseTag], { defaultValue: [] })
  tags!: EnterpriseTag[];

  @Field()
  @SafeText({ label: '注册地址', min: 5, max: 300 })
  address!: string;

  @Field({ description: '开户银行' })
  @SafeText({ label: '开户银行', min: 2, max: 100 })
  bankName!: string;

  @Field({ description: '银行账号（数字）' })
  @BankAccountNumber()
  bankAccount!: string;
}
