import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Directive, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { echo } from '../../platform/errors';
import { EnterpriseScale, EnterpriseTag } from '../kit/enterprise-vocabulary';
import { ConnectionType, PageArgs } from '../kit/pagination';
import { CalendarDate, EachText, IndustryFilter, IntRange, PolicyCode, rule, SafeText, unsafeTextProblem } from '../kit/validation';
import { POLICY_MODE_NAMES, PolicyLevel, PolicyMode, PolicyStatus, SignOffDecision, VersionState } from './policy.entity';

registerEnumType(PolicyLevel, { name: 'PolicyLevel', description: '政策层级：县级、市级（市县按比例分担资金）' });
registerEnumType(PolicyMode, {
  name: 'PolicyMode',
  description: '兑现方式',
  valuesConfig: Object.fromEntries(Object.entries(POLICY_MODE_NAMES).map(([mode, description]) => [mode, { description }])),
});
registerEnumType(PolicyStatus, { name: 'PolicyStatus', description: '政策状态：草稿、会签中、已发布、已暂停、已到期、已废止' });
registerEnumType(VersionState, { name: 'PolicyVersionState', description: '版本状态：草稿、会签中、已发布（当前施行）、已被新版本替代' });
registerEnumType(SignOffDecision, { name: 'SignOffDecision', description: '会签意见：同意 / 退回' });

/** Longer text (guide paragraphs): line breaks and tabs allowed, other control characters not. */
export function GuideText(label: string, max: number, min = 1) {
  return rule('guideText', (value) => {
    if (typeof value !== 'string') return `${label}应为文本`;
    const unsafe = unsafeTextProblem(value.replace(/[\n\t]/g, ' '));
    if (unsafe) return `${label}${unsafe}`;
    const n = [...value].length;
    if ([...value.trim()].length < min || n > max) return `${label}应为${min}–${max}个字符，收到${n}个`;
    return undefined;
  });
}

const SCALES = Object.values(EnterpriseScale) as string[];
const TAGS = Object.values(EnterpriseTag) as string[];
const OneOf = (label: string, allowed: string[]) =>
  rule('oneOf', (value) => (typeof value === 'string' && allowed.includes(value) ? undefined : `${label}应为 ${allowed.join('、')} 之一，收到“${echo(value)}”`));
const EachOneOf = (label: string, allowed: string[]) =>
  rule('eachOneOf', (value) => {
    const bad = (value as unknown[]).find((v) => typeof v !== 'string' || !allowed.includes(v));
    return bad === undefined ? undefined : `${label}应为 ${allowed.join('、')} 之一，收到“${echo(bad)}”`;
  });
const EachIndustry = () =>
  rule('eachIndustry', (value) => {
    const bad = (value as unknown[]).find((v) => typeof v !== 'string' || !/^[A-T](\d{2})?$/.test(v));
    return bad === undefined ? undefined : `适用行业应为门类字母（A–T）或门类+大类（如 C39），收到“${echo(bad)}”`;
  });
export const DepartmentCodeRule = () =>
  rule('departmentCode', (value) => (typeof value === 'string' && /^\d{6}-[A-Z]{2,10}$/.test(value) ? undefined : `部门代码应形如 360732-MIIT，收到“${echo(value)}”`));

// ---- output

@ObjectType({ description: '设立依据：政策文件名称与文号' })
export class LegalBasis {
  @Field() title!: string;
  @Field({ description: '文号，如 兴府发〔2025〕8号' }) documentNumber!: string;
}

@ObjectType({ description: '申报材料' })
export class PolicyMaterial {
  @Field() name!: string;
  @Field() required!: boolean;
  @Field({ description: '政府部门已掌握（共享获取），企业无需提交' }) heldByGovernment!: boolean;
}

@ObjectType({ description: '常见问题' })
export class PolicyFaq {
  @Field() question!: string;
  @Field() answer!: string;
}

@ObjectType('PolicySignOff', { description: '会签意见（县发改委、县财政局、县行政审批局，归口管理）' })
export class PolicySignOffView {
  @Field({ description: 'NDRC | FINANCE | APPROVAL' }) department!: string;
  @Field({ description: '部门简称' }) departmentName!: string;
  @Field(() => Int, { description: '会签轮次：退回后再次提交为新的一轮' }) round!: number;
  @Field(() => SignOffDecision) decision!: SignOffDecision;
  @Field(() => String, { nullable: true }) comments!: string | null;
  @Field() signedAt!: Date;
}

@ObjectType('PolicyVersion', { description: '政策的一个版本：标准办事指南。提交会签后不可修改；已发布版本在新版本发布前一直施行' })
export class PolicyVersionView {
  @Field({ description: '版本标识 <政策编号>@<版本号>：据此版本作出的决定指向它' }) id!: string;
  @Field(() => Int) number!: number;
  @Field(() => VersionState) state!: VersionState;
  @Field() title!: string;
  @Field(() => LegalBasis, { description: '设立依据' }) legalBasis!: LegalBasis;
  @Field({ description: '享受对象' }) beneficiaries!: string;
  @Field({ description: '申报条件（文字）' }) conditionsText!: string;
  @Field(() => GraphQLJSON, { description: '申报条件（机器可读，见 docs/conditions.md）' }) conditions!: unknown;
  @Field(() => GraphQLJSON, { description: '兑现金额规则（机器可读，金额单位：分）' }) amountRule!: unknown;
  @Field({ description: '兑现标准（文字）' }) amountText!: string;
  @Field(() => [PolicyMaterial], { description: '申报材料' }) materials!: PolicyMaterial[];
  @Field(() => [String], { description: '容缺受理：可先受理、后补交的必备材料（空 = 不允许容缺）' }) deferrableMaterials!: string[];
  @Field(() => [String], { description: '办理流程' }) processSteps!: string[];
  @Field(() => Int, { description: '审核时限（工作日）' }) reviewDays!: number;
  @Field(() => Int, { description: '拨付时限（工作日）' }) paymentDays!: number;
  @Field(() => String, { nullable: true, description: '申报开始日期' }) windowStart!: string | null;
  @Field(() => String, { nullable: true, description: '申报截止日期' }) windowEnd!: string | null;
  @Field({ description: '咨询电话/联系人' }) contact!: string;
  @Field(() => [PolicyFaq]) faq!: PolicyFaq[];
  @Field(() => [String], { description: '适用行业（空 = 不限）' }) industries!: string[];
  @Field(() => [String], { description: '适用规模（空 = 不限）' }) scales!: string[];
  @Field(() => [String], { description: '适用企业标签（空 = 不限）' }) tags!: string[];
  @Field(() => Date, { nullable: true }) submittedAt!: Date | null;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field(() => [PolicySignOffView], { description: '会签记录（各轮）；公众不可见' }) signOffs!: PolicySignOffView[];
}

@Directive('@key(fields: "id")')
@ObjectType('Policy', { description: '惠企政策（一网查询）。Owned by the policies subgraph (县发改委归口管理).' })
export class PolicyView {
  @Field({ description: '政策编号，如 XG-2026-001' }) id!: string;
  @Field({ description: '主管部门代码，如 360732-MIIT' }) department!: string;
  @Field({ description: '主管部门简称' }) departmentName!: string;
  @Field() region!: string;
  @Field(() => PolicyLevel) level!: PolicyLevel;
  @Field(() => Int, { nullable: true, description: '市级政策：市级分担比例（基点，万分之一）' }) cityShareBp!: number | null;
  @Field(() => Int, { nullable: true, description: '市级政策：县级分担比例（基点）' }) countyShareBp!: number | null;
  @Field(() => PolicyMode) mode!: PolicyMode;
  @Field(() => PolicyStatus) status!: PolicyStatus;
  @Field(() => String, { nullable: true, description: '最近一次暂停、恢复、到期或废止的原因' }) statusReason!: string | null;
  @Field({ description: '标题（施行版本；未发布的为工作版本）' }) title!: string;
  @Field(() => PolicyVersionView, { description: '当前施行（或未发布时的工作）版本' }) current!: PolicyVersionView;
  @Field(() => PolicyVersionView, { nullable: true, description: '修改中的新版本（草稿/会签中）；仅可办理的工作人员可见' }) pendingVersion!: PolicyVersionView | null;
  @Field(() => [PolicyVersionView], { description: '全部版本（公众只见已发布过的版本）' }) versions!: PolicyVersionView[];
  @Field(() => Int, { nullable: true, description: '检索相关度（按关键词检索时）' }) relevance!: number | null;
}

export const PolicyConnection = ConnectionType(PolicyView, 'Policy', '政策列表（分页）');

// ---- input

@InputType({ description: '政策检索条件（均为可选，条件之间为“且”）' })
export class PolicyFilter {
  @Field(() => String, { nullable: true, description: '中文关键词，检索标题与办事指南，如“技改”“高新”' })
  @SafeText({ label: '关键词', max: 50 })
  keyword?: string;

  @Field(() => String, { nullable: true, description: '主管部门代码，如 360732-MIIT' })
  @DepartmentCodeRule()
  department?: string;

  @Field(() => PolicyMode, { nullable: true })
  mode?: PolicyMode;

  @Field(() => String, { nullable: true, description: '行业：门类（C）或门类+大类（C39）；不限行业的政策也列出' })
  @IndustryFilter()
  industry?: string;

  @Field(() => String, { nullable: true, description: '企业规模 LARGE/MEDIUM/SMALL/MICRO；不限规模的政策也列出' })
  @OneOf('企业规模', SCALES)
  scale?: string;

  @Field(() => String, { nullable: true, description: '企业标签，如 HIGH_TECH' })
  @OneOf('企业标签', TAGS)
  tag?: string;

  @Field(() => PolicyStatus, { nullable: true, description: '状态；默认“已发布”' })
  status?: PolicyStatus;
}

@ArgsType()
export class PoliciesArgs extends PageArgs {
  @Field(() => PolicyFilter, { nullable: true })
  @ValidateNested()
  filter?: PolicyFilter;
}

@InputType()
export class LegalBasisInput {
  @Field() @SafeText({ label: '政策文件名称', min: 4, max: 200 }) title!: string;
  @Field() @SafeText({ label: '文号', min: 2, max: 100 }) documentNumber!: string;
}

@InputType()
export class PolicyMaterialInput {
  @Field() @SafeText({ label: '材料名称', max: 100 }) name!: string;
  @Field() required!: boolean;
  @Field({ defaultValue: false }) heldByGovernment!: boolean;
}

@InputType()
export class PolicyFaqInput {
  @Field() @GuideText('问题', 200) question!: string;
  @Field() @GuideText('解答', 2000) answer!: string;
}

/** The service guide of a version: every field of 办事指南. */
@InputType({ description: '政策版本内容（办事指南）' })
export class PolicyGuideInput {
  @Field() @SafeText({ label: '政策标题', min: 4, max: 200 }) title!: string;
  @Field(() => LegalBasisInput) @ValidateNested() legalBasis!: LegalBasisInput;
  @Field() @GuideText('享受对象', 2000) beneficiaries!: string;
  @Field() @GuideText('申报条件', 5000) conditionsText!: string;
  @Field(() => GraphQLJSON, { description: '申报条件（条件语言 JSON），保存时校验' }) conditions!: unknown;
  @Field(() => GraphQLJSON, { description: '金额规则 JSON，保存时校验' }) amountRule!: unknown;
  @Field() @GuideText('兑现标准', 2000) amountText!: string;
  @Field(() => [PolicyMaterialInput]) @ValidateNested({ each: true }) @ArrayMaxSize(50) materials!: PolicyMaterialInput[];
  @Field(() => [String], { defaultValue: [], description: '容缺受理：可先受理、后补交的必备材料名称（须为本指南的必备材料且非政府已有）；空 = 不允许容缺' })
  @ArrayMaxSize(50)
  @EachText('容缺材料', 100)
  deferrableMaterials!: string[];
  @Field(() => [String]) @ArrayMaxSize(30) @EachText('办理流程', 500) processSteps!: string[];
  @Field(() => Int, { nullable: true, description: '审核时限（工作日）；即申即享固定为 5' }) @IntRange('审核时限', 1, 60) reviewDays?: number;
  @Field(() => Int, { nullable: true, description: '拨付时限（工作日），默认 1' }) @IntRange('拨付时限', 1, 30) paymentDays?: number;
  @Field(() => String, { nullable: true }) @CalendarDate({ label: '申报开始日期', min: '2000-01-01', max: '2100-12-31' }) windowStart?: string | null;
  @Field(() => String, { nullable: true }) @CalendarDate({ label: '申报截止日期', min: '2000-01-01', max: '2100-12-31' }) windowEnd?: string | null;
  @Field() @SafeText({ label: '咨询方式', min: 2, max: 200 }) contact!: string;
  @Field(() => [PolicyFaqInput], { defaultValue: [] }) @ValidateNested({ each: true }) @ArrayMaxSize(30) faq!: PolicyFaqInput[];
  @Field(() => [String], { defaultValue: [] }) @ArrayMaxSize(30) @EachIndustry() industries!: string[];
  @Field(() => [String], { defaultValue: [] }) @EachOneOf('适用规模', SCALES) scales!: string[];
  @Field(() => [String], { defaultValue: [] }) @EachOneOf('适用企业标签', TAGS) tags!: string[];
}

@InputType({ description: '新建政策草稿' })
export class CreatePolicyInput {
  @Field({ description: '政策编号，如 XG-2026-031' }) @PolicyCode() id!: string;
  @Field({ description: '主管部门代码（须为政策主管部门），如 360732-MIIT' }) @DepartmentCodeRule() department!: string;
  @Field(() => PolicyLevel, { defaultValue: 'COUNTY' }) level!: PolicyLevel;
  @Field(() => Int, { nullable: true, description: '市级政策：市级分担比例（基点）' }) @IntRange('市级分担比例', 0, 10000) cityShareBp?: number | null;
  @Field(() => Int, { nullable: true, description: '市级政策：县级分担比例（基点）' }) @IntRange('县级分担比例', 0, 10000) countyShareBp?: number | null;
  @Field(() => PolicyMode) mode!: PolicyMode;
  @Field(() => PolicyGuideInput) @ValidateNested() guide!: PolicyGuideInput;
}
