import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { validate } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { departmentRegion, isKnownRegion } from '../../../platform/directory';
import { invalidInput, forbidden, problemsFromValidation, type FieldProblem } from '../../../platform/errors';
import { regionCovers, type Identity } from '../../../platform/identity';
import { requireRole } from '../../kit/scope';

/** A fiscal year of a region: closeFiscalYear's arguments, and the clearing's with a department. */
@ArgsType()
export class FiscalYearArgs {
  @Field(() => Int, { description: '预算年度，如 2026' })
  @IsInt({ message: '预算年度应为整数年份，如 2026' })
  @Min(2000, { message: '预算年度应在 2000 至 2100 之间' })
  @Max(2100, { message: '预算年度应在 2000 至 2100 之间' })
  fiscalYear!: number;

  @Field({ description: '县（区）或市的行政区划代码，如 360732' })
  @Matches(/^\d{6}$/, { message: '地区应为 6 位行政区划代码，如 360732' })
  regionCode!: string;
}

/** The clearing's arguments, checked by the same rules for the GraphQL query and the export's query string. */
@ArgsType()
export class ClearingArgs extends FiscalYearArgs {
  @Field(() => String, { nullable: true, description: '只看一个部门，如 360732-MIIT；部门用户只能看本部门' })
  @IsOptional()
  @Matches(/^\d{6}-[A-Z]{2,10}$/, { message: '部门代码应形如 360732-MIIT' })
  department?: string | null;
}

/** Who may read the clearing (docs/funds-clearing.md): FINANCE, APPROVAL_BUREAU, AUDITOR, departments (their own rows). */
export const CLEARING_READERS = ['FINANCE', 'APPROVAL_BUREAU', 'AUDITOR', 'DEPARTMENT_REVIEWER', 'DEPARTMENT_SYSTEM'] as const;

export interface ClearingScope {
  fiscalYear: number;
  regionCode: string;
  /** Only this department's rows (a department's caller is always narrowed to its own). */
  department: string | null;
}

/**
 * Authorizes a clearing read, then checks its arguments: the role first (no existence oracle),
 * then the region inside the caller's, then a department inside the region. A department's caller
 * (经开区 included: it is the department `360732-EDZ`) sees only its own rows; asking for another
 * department's is refused rather than silently narrowed.
 */
export async function clearingScope(identity: Identity, args: ClearingArgs): Promise<ClearingScope> {
  requireRole(identity, ...CLEARING_READERS);
  const checked = await checkedClearingArgs(args);
  if (identity.role !== 'AUDITOR' && !(identity.region && regionCovers(identity.region, checked.regionCode))) {
    throw forbidden(`无权查看地区 ${checked.regionCode} 的清算：您所属地区为 ${identity.region ?? '未知'}`);
  }
  let department = checked.department ?? null;
  if (identity.role === 'DEPARTMENT_REVIEWER' || identity.role === 'DEPARTMENT_SYSTEM') {
    if (department && department !== identity.department) throw forbidden(`部门用户只能查看本部门（${identity.department}）的清算，不能查看 ${department}`);
    department = identity.department!;
  }
  return { fiscalYear: checked.fiscalYear, regionCode: checked.regionCode, department };
}

/** The arguments checked (class-validator rules, then the directory): a coded BAD_USER_INPUT listing every problem. */
export async function checkedClearingArgs(args: FiscalYearArgs & { department?: string | null }): Promise<ClearingArgs> {
  const checked = Object.assign(new ClearingArgs(), args);
  const problems: FieldProblem[] = problemsFromValidation(await validate(checked));
  if (!problems.length && !isKnownRegion(checked.regionCode)) problems.push({ field: 'regionCode', message: `地区 ${checked.regionCode} 不是平台已知的行政区划代码` });
  if (!problems.length && checked.department) {
    const home = departmentRegion(checked.department);
    if (!home) problems.push({ field: 'department', message: `部门 ${checked.department} 不是平台已知的部门代码` });
    else if (!regionCovers(checked.regionCode, home)) problems.push({ field: 'department', message: `部门 ${checked.department} 不属于地区 ${checked.regionCode}` });
  }
  if (problems.length) throw invalidInput(problems);
  return checked;
}

/** The export's query string (`year`, `region`, `department`, `format`) as ClearingArgs and a format. */
export function clearingArgsFromQuery(query: URLSearchParams): { args: ClearingArgs; format: 'csv' | 'xlsx' } {
  const problems: FieldProblem[] = [];
  const year = query.get('year') ?? '';
  if (!/^\d{4}$/.test(year)) problems.push({ field: 'year', message: 'year 应为 4 位年份，如 year=2026' });
  const format = query.get('format') ?? 'csv';
  if (format !== 'csv' && format !== 'xlsx') problems.push({ field: 'format', message: 'format 应为 csv 或 xlsx' });
  if (problems.length) throw invalidInput(problems);
  const args = Object.assign(new ClearingArgs(), { fiscalYear: Number(year), regionCode: query.get('region') ?? '', department: query.get('department') || null });
  return { args, format: format as 'csv' | 'xlsx' };
}
