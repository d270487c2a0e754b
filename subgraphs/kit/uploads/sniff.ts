/**
 * What a file is, from its bytes (magic numbers), never from its name or the Content-Type a client
 * sends: an .exe renamed 申请表.pdf is still an executable.
 *
 * Our own ~100 lines rather than a package: the four types materials come in need a prefix test
 * each and, for OFD, a look into a zip's central directory. `file-type` is ESM-only (this project
 * compiles to CommonJS) and `magic-bytes.js` identifies a zip as a zip (it cannot tell an OFD from
 * a .docx); neither is in node_modules. tests/unit/uploads-sniff.test.ts covers every branch.
 */

/** The media types materials may be uploaded in. */
export const MaterialMediaType = {
  PDF: 'application/pdf',
  JPEG: 'image/jpeg',
  PNG: 'image/png',
  /** 版式文档 OFD (GB/T 33190-2016): a zip package whose root holds OFD.xml. */
  OFD: 'application/ofd',
} as const;
export type MaterialMediaType = (typeof MaterialMediaType)[keyof typeof MaterialMediaType];

/** Bytes the head sniff needs; fewer only when the whole file is shorter. */
export const SNIFF_HEAD_BYTES = 512;

/** What a refused file looks like, for the message (and `extensions.detected`). */
export type Detected =
  | 'empty'
  | 'windows-executable'
  | 'elf-executable'
  | 'mach-o-executable'
  | 'script'
  | 'html'
  | 'xml-or-svg'
  | 'zip'
  | 'rar'
  | '7z'
  | 'gzip'
  | 'ole-office'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'webp'
  | 'text'
  | 'unknown';

export const DETECTED_LABEL: Record<Detected, string> = {
  empty: '空文件',
  'windows-executable': 'Windows 可执行程序',
  'elf-executable': 'Linux 可执行程序',
  'mach-o-executable': 'macOS 可执行程序',
  script: '脚本文件',
  html: '网页（HTML）',
  'xml-or-svg': 'XML 或 SVG 文档',
  zip: 'ZIP 压缩包（不是 OFD 版式文档；Word、Excel 文档也属此类）',
  rar: 'RAR 压缩包',
  '7z': '7z 压缩包',
  gzip: 'gzip 压缩包',
  'ole-office': '旧版 Office 文档（doc/xls）',
  gif: 'GIF 图片',
  bmp: 'BMP 图片',
  tiff: 'TIFF 图片',
  webp: 'WebP 图片',
  text: '纯文本',
  unknown: '无法识别的格式',
};

export type HeadSniff = { mediaType: MaterialMediaType } | { zip: true } | { refused: Detected };

const startsWith = (head: Buffer, bytes: number[] | string, at = 0) => {
  const sig = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes);
  return head.length >= at + sig.length && head.subarray(at, at + sig.length).equals(sig);
};

/**
 * The type from the first bytes. A zip needs the whole file (`isOfdPackage`) before it counts
 * as OFD. `head` is the first SNIFF_HEAD_BYTES bytes (or the whole file when shorter).
 */
export function sniffHead(head: Buffer): HeadSniff {
  if (head.length === 0) return { refused: 'empty' };
  // PDF 1.x/2.0 (ISO 32000): "%PDF-" and a version digit at the very start.
  if (startsWith(head, '%PDF-') && head.length > 5 && head[5] >= 0x30 && head[5] <= 0x39) return { mediaType: MaterialMediaType.PDF };
  // PNG: the 8-byte signature, then the IHDR chunk that must come first.
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && startsWith(head, 'IHDR', 12)) return { mediaType: MaterialMediaType.PNG };
  // JPEG: SOI (FF D8) then the first marker's FF.
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mediaType: MaterialMediaType.JPEG };
  // A zip's first local file header; OFD or not is decided from its central directory.
  if (startsWith(head, 'PK\x03\x04')) return { zip: true };
  return { refused: detect(head) };
}

/** A name for what a refused head looks like. */
function detect(head: Buffer): Detected {
  if (startsWith(head, 'MZ')) return 'windows-executable';
  if (startsWith(head, '\x7fELF')) return 'elf-executable';
  if ([[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe]].some((m) => startsWith(head, m))) {
    return 'mach-o-executable';
  }
  if (startsWith(head, '#!')) return 'script';
  if (startsWith(head, 'Rar!\x1a\x07')) return 'rar';
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7z';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole-office';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'gif';
  if (startsWith(head, 'BM')) return 'bmp';
  if (startsWith(head, 'II*\x00') || startsWith(head, 'MM\x00*')) return 'tiff';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'webp';
  if (startsWith(head, 'PK\x05\x06') || startsWith(head, 'PK\x07\x08')) return 'zip';
  // Markup, after a BOM and blanks: what a browser would render if it ever sniffed it.
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart().slice(0, 256).toLowerCase();
  if (/^<(!doctype html|html|head|body|script|iframe|meta|a\s|div|p>|!--)/.test(text)) return 'html';
  if (/^<(\?xml|svg|!doctype svg)/.test(text)) return 'xml-or-svg';
  if (!head.subarray(0, 256).some((b) => b < 0x09 || (b > 0x0d && b < 0x20))) return 'text';
  return 'unknown';
}

/** Random access to the complete file (a staged upload on disk). */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
/** End of central directory record without comment, and the longest comment a zip may carry. */
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/**
 * An OFD package: a well-formed zip (end-of-central-directory record, central directory inside
 * the file) with `OFD.xml` at its root (GB/T 33190-2016 §7.2, the entry file). Zip64 is refused:
 * no material within the upload limit needs it. Reads at most the tail and the central directory.
 */
export async function isOfdPackage(size: number, readAt: ReadAt): Promise<boolean> {
  if (size < EOCD_SIZE + 30) return false;
  const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
  const tail = await readAt(size - tailLength, tailLength);
  // The record is the last one whose comment length reaches exactly to the end of the file.
  let eocd = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return false;
  const entries = tail.readUInt16LE(eocd + 10);
  const directorySize = tail.readUInt32LE(eocd + 12);
  const directoryOffset = tail.readUInt32LE(eocd + 16);
  const eocdOffset = size - tailLength + eocd;
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return false; // zip64
  if (entries === 0 || directoryOffset + directorySize > eocdOffset) return false;
  const directory = await readAt(directoryOffset, directorySize);
  let at = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) return false;
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    if (at + 46 + nameLength > directory.length) return false;
    const name = directory.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    // The standard names it OFD.xml; some producers write it in lower case.
    if (name.toLowerCase() === 'ofd.xml') return true;
    at += 46 + nameLength + extraLength + commentLength;
  }
  return false;
}
