import type { IncomingMessage } from 'node:http';
import { echo, invalidInput } from '../../../platform/errors';
import { unsafeTextProblem } from '../validation';

/** The header carrying an upload's file name, percent-encoded UTF-8 (HTTP headers are Latin-1). */
export const FILE_NAME_HEADER = 'x-file-name';
/** The same as a query parameter, for clients that cannot set headers (`?fileName=`). */
export const FILE_NAME_PARAM = 'fileName';
/** Characters (code points) of a file name: what the column and most filesystems keep. */
export const FILE_NAME_MAX = 200;

/**
 * The file name of an upload, from the `x-file-name` header or the `fileName` query parameter
 * (percent-encoded UTF-8, as `encodeURIComponent` writes it). Only a label shown to people and
 * put in `Content-Disposition` on download: never a path, and never what decides the type.
 * Refused (BAD_USER_INPUT, field `fileName`): missing, not valid percent-encoding or UTF-8,
 * control / zero-width / bidi characters, path separators, `.`/`..`, over FILE_NAME_MAX.
 */
export function readFileName(req: IncomingMessage, query: URLSearchParams): string {
  const header = req.headers[FILE_NAME_HEADER];
  // URLSearchParams has decoded the query's percent-encoding already (and turned `+` into a space).
  let raw: string | undefined;
  if (typeof header === 'string') {
    // Raw UTF-8 in a header arrives as Latin-1 mojibake: only the encoded form is taken.
    if (/[^\x20-\x7e]/.test(header)) throw refuse(`文件名（${FILE_NAME_HEADER} 头）须为百分号编码的 UTF-8（encodeURIComponent），不能直接放中文或控制字符`);
    try {
      raw = decodeURIComponent(header);
    } catch {
      throw refuse(`文件名（${FILE_NAME_HEADER} 头）不是有效的百分号编码 UTF-8：请用 encodeURIComponent 编码`);
    }
  } else {
    raw = query.get(FILE_NAME_PARAM) ?? undefined;
  }
  if (raw === undefined || raw.trim() === '') throw refuse(`缺少文件名：请在 ${FILE_NAME_HEADER} 头或 ${FILE_NAME_PARAM} 参数中给出（百分号编码的 UTF-8）`);
  return checkFileName(raw);
}

/** The checks of `readFileName` on a decoded name; returns it trimmed. */
export function checkFileName(raw: string): string {
  // U+FFFD: what a decoder puts in place of bytes that were not UTF-8.
  if (raw.includes('\uFFFD')) throw refuse('文件名含有无效的 UTF-8 字节');
  const unsafe = unsafeTextProblem(raw);
  if (unsafe) throw refuse(`文件名${unsafe}`);
  const name = raw.trim();
  if (/[/\\]/.test(name)) throw refuse(`文件名“${echo(name)}”不能含有路径分隔符（/ 或 \\）：只填文件本身的名称`);
  if (name === '.' || name === '..') throw refuse(`文件名“${name}”无效`);
  const length = [...name].length;
  if (length > FILE_NAME_MAX) throw refuse(`文件名过长：不超过 ${FILE_NAME_MAX} 个字符，收到 ${length} 个`);
  return name;
}

const refuse = (message: string) => invalidInput([{ field: FILE_NAME_PARAM, message }]);
