/**
 * `x-qinqing-purpose`: the case or screening a read serves, sent by the caller, checked by the
 * gateway and forwarded to every subgraph, where it goes into the access log.
 */
export const PURPOSE_HEADER = 'x-qinqing-purpose';
export const PURPOSE_MAX_LENGTH = 200;

/** Why a purpose is refused, or undefined when it is acceptable (≤ 200 characters, no control characters). */
export function purposeProblem(value: string): string | undefined {
  if (Array.from(value).length > PURPOSE_MAX_LENGTH) return `用途说明（${PURPOSE_HEADER}）过长：最多 ${PURPOSE_MAX_LENGTH} 个字符`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return `用途说明（${PURPOSE_HEADER}）含有控制字符`;
  return undefined;
}
