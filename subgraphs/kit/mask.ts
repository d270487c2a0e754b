/**
 * Masking for sensitive personal and financial data (个人信息保护法; 等保). Masked values keep
 * enough to recognise (first/last characters) and never enough to use.
 */

/** 王小明 → 王*明, 李四 → 李*. */
export function maskPersonName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** Resident ID (18): keep the 6-digit region and the last 4: 360732********1234. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** Bank account: keep the first 4 and last 4 digits. */
export function maskBankAccount(account: string): string {
  if (account.length <= 8) return '*'.repeat(account.length);
  return `${account.slice(0, 4)}${'*'.repeat(account.length - 8)}${account.slice(-4)}`;
}
