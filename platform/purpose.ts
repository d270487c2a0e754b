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

/**
 * HTTP headers carry Latin-1 only, so the purpose travels percent-encoded UTF-8
 * (`encodeURIComponent('兑付审核')`); plain ASCII without `%` passes as it is. Returns the text,
 * or the reason it is refused.
 */
export function decodePurpose(raw: string | undefined): { purpose?: string; problem?: string } {
  const trimmed = raw?.trim();
  if (!trimmed) return {};
  let purpose: string;
  try {
    purpose = decodeURIComponent(trimmed);
  } catch {
    return { problem: `用途说明（${PURPOSE_HEADER}）须为百分号编码的 UTF-8 文本（encodeURIComponent）` };
  }
  const problem = purposeProblem(purpose);
  return problem ? { problem } : { purpose };
}

/** How the gateway forwards a checked purpose to the subgraphs. */
export const encodePurpose = (purpose: string) => encodeURIComponent(purpose);
