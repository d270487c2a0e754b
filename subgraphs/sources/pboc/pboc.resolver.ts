import { Args, ArgsType, Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { CreditCodeScalar } from '../../../platform/credit-code';
import type { Identity } from '../../../platform/identity';
import { maskBankAccount } from '../../kit/mask';
import { Guard } from '../../kit/scope';
import { BankAccountNumber } from '../../kit/validation';
import { assertCanReadSource, assertSourceReader, type EnterpriseKey, enterpriseKeyType, logSourceRead, type SourceContext, sourceInfo } from '../kit';
import { BankAccount, BankAccountStatus, BankAccountType } from './bank-account.entity';

export const pboc = sourceInfo({ name: 'pboc', fieldPrefix: 'pboc', department: 'PBOC', owner: '人民银行兴国县支行' });
export const Enterprise = enterpriseKeyType();
type Ctx = SourceContext<BankAccount>;

/** Whole account numbers: the holder, the bureau that pays into them, the central bank's own staff. */
function mayReadAccountNumbers(identity: Identity, creditCode: string): boolean {
  if (identity.role === 'ENTERPRISE') return identity.creditCode === creditCode;
  if (identity.role === 'APPROVAL_BUREAU') return true;
  return (identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') && !!identity.department?.endsWith(`-${pboc.department}`);
}

/** An enterprise is verified when it holds an open settlement account in its own name. */
export const isVerified = (accounts: BankAccount[]) => accounts.some((a) => a.status === BankAccountStatus.OPEN);

@ObjectType({ description: '银行结算账户（人民银行）；账号按角色脱敏' })
export class SettlementAccount {
  @Field({ description: '账号；无权查看完整账号时脱敏（6228********5678）' })
  accountNumber!: string;

  @Field({ description: '账号是否已脱敏' })
  masked!: boolean;

  @Field()
  bankName!: string;

  @Field(() => BankAccountType)
  accountType!: BankAccountType;

  @Field(() => BankAccountStatus)
  status!: BankAccountStatus;

  @Field({ description: '开户日期 YYYY-MM-DD' })
  openedOn!: string;

  @Field(() => String, { nullable: true, description: '销户日期 YYYY-MM-DD' })
  closedOn!: string | null;

  @Field({ description: '开户许可证核准号或备案编号' })
  reference!: string;

  @Field({ description: '记录时间' })
  recordedAt!: Date;
}

@ObjectType({ description: '银行结算账户信息（人民银行兴国县支行）。联合审核的数据来源之一。' })
export class PbocAccounts {
  @Field({ description: '是否有以企业为户名的正常状态结算账户（账户核验通过）' })
  verified!: boolean;

  @Field(() => [SettlementAccount], { description: '全部结算账户（含已销户）' })
  accounts!: SettlementAccount[];

  @Field({ description: '来源数据的时点' })
  asOf!: Date;
}

@ArgsType()
class VerifyBankAccountArgs {
  @Field(() => CreditCodeScalar, { description: '应为户名的企业' })
  creditCode!: string;

  @Field({ description: '待核验的账号（8–32 位数字）' })
  @BankAccountNumber()
  accountNumber!: string;
}

@ObjectType({ description: '账户核验结果：账户是否存在、是否正常、户名是否为该企业' })
export class BankAccountVerification {
  @Field(() => CreditCodeScalar)
  creditCode!: string;

  @Field({ description: '核验的账号（脱敏）' })
  accountNumber!: string;

  @Field({ description: '人民银行账户管理系统中有此账号' })
  exists!: boolean;

  @Field({ description: '户名为该企业（账户不存在时为 false）' })
  holderMatches!: boolean;

  @Field({ description: '账户状态正常（户名不符时为 false，不透露他人账户状态）' })
  open!: boolean;

  @Field({ description: '三项均通过：可以向该账户付款' })
  verified!: boolean;

  @Field(() => String, { nullable: true, description: '开户银行（仅户名相符时）' })
  bankName!: string | null;

  @Field({ description: '核验时间' })
  checkedAt!: Date;
}

@Resolver(() => Enterprise)
export class EnterprisePbocResolver {
  @FieldResolver(() => PbocAccounts, { nullable: true, description: '银行结算账户（人民银行兴国县支行）' })
  async pboc(@Root() enterprise: EnterpriseKey, @Ctx() ctx: Ctx): Promise<PbocAccounts> {
    const { creditCode } = enterprise;
    assertCanReadSource(ctx.identity, pboc, creditCode);
    const answer = await ctx.loaders.records.load(creditCode);
    const clear = mayReadAccountNumbers(ctx.identity, creditCode);
    logSourceRead(ctx, pboc, 'Enterprise.pboc', [creditCode], clear && answer.records.length ? ['pboc.accounts.accountNumber'] : []);
    return {
      verified: isVerified(answer.records),
      accounts: [...answer.records]
        .sort((a, b) => a.accountType.localeCompare(b.accountType) || b.occurredOn.localeCompare(a.occurredOn))
        .map((a) => ({
          accountNumber: clear ? a.accountNumber : maskBankAccount(a.accountNumber),
          masked: !clear,
          bankName: a.bankName,
          accountType: a.accountType,
          status: a.status,
          openedOn: a.occurredOn,
          closedOn: a.endsOn ?? null,
          reference: a.reference,
          recordedAt: a.recordedAt,
        })),
      asOf: answer.sourceAsOf ?? new Date(),
    };
  }
}

@Resolver(() => BankAccountVerification)
export class BankAccountVerificationResolver {
  @Query(() => BankAccountVerification, { description: '账户核验（付款前）：账号是否存在、是否正常、户名是否为该企业' })
  @Guard((identity) => assertSourceReader(identity, pboc))
  async verifyBankAccount(@Args(() => VerifyBankAccountArgs) { creditCode, accountNumber }: VerifyBankAccountArgs, @Ctx() ctx: Ctx): Promise<BankAccountVerification> {
    assertCanReadSource(ctx.identity, pboc, creditCode);
    const accounts = await ctx.em.find(BankAccount, { accountNumber });
    logSourceRead(ctx, pboc, 'Query.verifyBankAccount', [creditCode]);
    const held = accounts.find((a) => a.creditCode === creditCode);
    const open = held?.status === BankAccountStatus.OPEN;
    return {
      creditCode,
      accountNumber: maskBankAccount(accountNumber),
      exists: accounts.length > 0,
      holderMatches: !!held,
      open,
      verified: open,
      bankName: held?.bankName ?? null,
      checkedAt: new Date(),
    };
  }
}
