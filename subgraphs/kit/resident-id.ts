/** 居民身份证号码 GB 11643-1999: 17 digits and a check char over weights 7,9,10,5,8,4,2,1,6,3,… mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** Why the number is wrong, in words a clerk can act on; undefined when it is valid. */
export function residentIdProblem(id: string): string | undefined {
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号码应为18位：前17位数字，最后一位为数字或大写X';
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const date = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== birth) return `身份证号码中的出生日期 ${birth} 不存在`;
  const expected = residentIdCheckChar(id);
  if (id[17] !== expected) return `身份证号码校验位错误：最后一位应为“${expected}”，请核对`;
  return undefined;
}
