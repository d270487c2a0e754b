import { residentIdProblem } from '../kit/resident-id';
import type { RegisterEnterpriseInput } from './enterprise.input';
import { isIndustryCode } from '../kit/industry';

export interface FieldProblem {
  field: string;
  message: string;
}

const isCalendarDate = (value: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/**
 * Every problem with a registration at once (一次性告知): a clerk fixes them in one pass instead of
 * resubmitting once per mistake. The credit code itself was already checked by its scalar.
 */
export function registrationProblems(input: RegisterEnterpriseInput, today = new Date().toISOString().slice(0, 10)): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const need = (ok: boolean, field: string, message: string) => ok || problems.push({ field, message });
  const name = input.name.trim();
  need(name.length >= 2 && name.length <= 200, 'name', '企业名称应为2–200个字符');
  const rep = input.legalRepresentative.trim();
  need(rep.length >= 2 && rep.length <= 50, 'legalRepresentative', '法定代表人姓名应为2–50个字符');
  const idProblem = residentIdProblem(input.legalRepresentativeIdNumber);
  if (idProblem) problems.push({ field: 'legalRepresentativeIdNumber', message: idProblem });
  need(isCalendarDate(input.registeredOn), 'registeredOn', `成立日期应为 YYYY-MM-DD 格式的有效日期，收到“${input.registeredOn}”`);
  need(!isCalendarDate(input.registeredOn) || input.registeredOn <= today, 'registeredOn', '成立日期不能晚于今天');
  need(isIndustryCode(input.industryCode), 'industryCode', `行业代码“${input.industryCode}”不是 GB/T 4754-2017 的门类+大类代码（如 C39）`);
  need(input.address.trim().length >= 5, 'address', '注册地址过短，请填写完整地址');
  need(input.bankName.trim().length >= 2, 'bankName', '请填写开户银行');
  need(/^\d{8,32}$/.test(input.bankAccount), 'bankAccount', '银行账号应为8–32位数字');
  return problems;
}
