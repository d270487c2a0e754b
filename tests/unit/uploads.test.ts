import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { checkFileName, contentDisposition, isOfdPackage, LocalDiskStorage, readFileName, sniffHead, type StoredBlob } from '../../subgraphs/kit/uploads';
import { DOCX, EXE, HTML, JPEG, OFD, PDF, PNG, SVG, zip } from '../support/files';

/**
 * The parts of uploads that need no graph: the type from the bytes, the file name, the
 * content-addressed storage. The graph around them: tests/integration/uploads.test.ts.
 */

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const readAt = (b: Buffer) => async (position: number, length: number) => b.subarray(position, position + length);
async function* chunks(b: Buffer, size = 7) {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('the type comes from the bytes', () => {
  test.each([
    ['PDF', PDF, 'application/pdf'],
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
  ])('%s is recognised', (_name, bytes, mediaType) => {
    expect(sniffHead(bytes.subarray(0, 512))).toEqual({ mediaType });
  });

  test('a zip is only a candidate: OFD is decided from its central directory', () => {
    expect(sniffHead(OFD)).toEqual({ zip: true });
    expect(sniffHead(DOCX)).toEqual({ zip: true });
  });

  test.each([
    ['an empty file', 'empty', Buffer.alloc(0)],
    ['a Windows executable (an .exe renamed .pdf)', 'windows-executable', EXE],
    ['an ELF executable', 'elf-executable', Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1')],
    ['HTML', 'html', HTML],
    ['HTML after a BOM and blanks, upper case', 'html', Buffer.from('\uFEFF \n<HTML><script>x</script>')],
    ['SVG', 'xml-or-svg', SVG],
    ['XML', 'xml-or-svg', Buffer.from('<?xml version="1.0"?><a/>')],
    ['GIF', 'gif', Buffer.from('GIF89a\x01\0\x01\0', 'latin1')],
    ['an old Word document', 'ole-office', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])],
    ['RAR', 'rar', Buffer.from('Rar!\x1a\x07\x01\0', 'latin1')],
    ['plain text', 'text', Buffer.from('营业执照副本\n')],
    ['"%PDF" without a version', 'text', Buffer.from('%PDF-x')],
    ['a PNG signature without IHDR', 'unknown', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0x41, 0x41, 0x41, 0x41])],
    ['random binary', 'unknown', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe])],
  ])('%s is refused as %s', (_name, detected, bytes) => {
    expect(sniffHead(bytes.subarray(0, 512))).toEqual({ refused: detected });
  });

  test('OFD: OFD.xml at the root of a well-formed zip', async () => {
    expect(await isOfdPackage(OFD.length, readAt(OFD))).toBe(true);
    // Some producers write the name in lower case; a comment after the directory is allowed.
    const lower = zip({ 'ofd.xml': '<ofd:OFD/>' }, '由数科OFD生成');
    expect(await isOfdPackage(lower.length, readAt(lower))).toBe(true);
  });

  test.each([
    ['a .docx', DOCX],
    ['OFD.xml not at the root', zip({ 'Doc_0/OFD.xml': '<x/>', 'a.txt': 'a' })],
    ['a name merely ending in OFD.xml', zip({ 'NOTOFD.xml': '<x/>' })],
    ['a zip cut short (no central directory)', OFD.subarray(0, OFD.length - 40)],
    ['a zip header and junk', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 7)])],
    ['an end record pointing outside the file', (() => {
      const broken = Buffer.from(OFD);
      broken.writeUInt32LE(0x7fffffff, broken.length - 6);
      return broken;
    })()],
  ])('not OFD: %s', async (_name, bytes) => {
    expect(await isOfdPackage(bytes.length, readAt(bytes))).toBe(false);
  });
});

describe('the file name', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
  const problem = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      const { extensions } = error as { extensions: { code: string; problems: { field: string; message: string }[] } };
      expect(extensions.code).toBe('BAD_USER_INPUT');
      expect(extensions.problems[0].field).toBe('fileName');
      return extensions.problems[0].message;
    }
    throw new Error('not refused');
  };

  test('percent-encoded UTF-8 in x-file-name, or the fileName parameter', () => {
    expect(readFileName(request({ 'x-file-name': encodeURIComponent('营业执照 副本（2026）.pdf') }), new URLSearchParams())).toBe('营业执照 副本（2026）.pdf');
    expect(readFileName(request({}), new URLSearchParams({ fileName: '  纳税证明.ofd ' }))).toBe('纳税证明.ofd');
  });

  test.each([
    ['missing', () => readFileName(request({}), new URLSearchParams()), '缺少文件名'],
    ['not valid percent-encoding', () => readFileName(request({ 'x-file-name': '%E4%B8' }), new URLSearchParams()), '百分号编码'],
    ['raw UTF-8 in the header', () => readFileName(request({ 'x-file-name': 'è¥ä¸' }), new URLSearchParams()), '百分号编码'],
    ['NUL', () => checkFileName('a\u0000.pdf'), '控制字符（U+0000）'],
    ['a bidi override (fdp.exe shown as exe.pdf)', () => checkFileName('invoice\u202Efdp.exe'), '文字方向'],
    ['a zero-width space', () => checkFileName('营业\u200B执照.pdf'), '零宽'],
    ['a path', () => checkFileName('../../etc/passwd'), '路径分隔符'],
    ['a Windows path', () => checkFileName('C:\\材料\\a.pdf'), '路径分隔符'],
    ['dot-dot', () => checkFileName('..'), '无效'],
    ['over 200 characters', () => checkFileName(`${'材'.repeat(201)}.pdf`), '过长'],
    ['a replacement character (bytes that were not UTF-8)', () => checkFileName('a\uFFFD.pdf'), 'UTF-8'],
  ])('refused: %s', (_name, run, words) => {
    expect(problem(run)).toContain(words);
  });

  test('Content-Disposition carries the exact name and an ASCII fallback (RFC 6266)', () => {
    expect(contentDisposition('营业执照 "副本".pdf')).toBe(`attachment; filename="____ ____.pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%22%E5%89%AF%E6%9C%AC%22.pdf`);
  });
});

describe('content-addressed storage on the local disk', () => {
  const fresh = () => {
    const dir = mkdtempSync(join(tmpdir(), 'qinqing-blobs-'));
    return { dir, storage: new LocalDiskStorage(dir) };
  };
  /** Every file under dir but the staging folder's (which must be empty). */
  const kept = (dir: string) => {
    if (!existsSync(dir)) return [];
    const staged = existsSync(join(dir, 'tmp')) ? readdirSync(join(dir, 'tmp')) : [];
    expect(staged).toEqual([]);
    return readdirSync(dir).filter((d) => d !== 'tmp').flatMap((d) => readdirSync(join(dir, d)).map((f) => `${d}/${f}`));
  };

  test('stored under its SHA-256, hashed while streaming; the same content is kept once', async () => {
    const { dir, storage } = fresh();
    const first = await storage.put(chunks(PDF), { maxBytes: 1000 });
    expect(first).toEqual<StoredBlob>({ key: sha256(PDF), sha256: sha256(PDF), size: PDF.length, created: true });
    expect(readFileSync(join(dir, first.key.slice(0, 2), first.key)).equals(PDF)).toBe(true);
    const again = await storage.put(chunks(PDF, 100), { maxBytes: 1000 });
    expect(again).toEqual({ ...first, created: false });
    expect(kept(dir)).toEqual([`${first.key.slice(0, 2)}/${first.key}`]);
    expect(await storage.exists(first.key)).toBe(true);
    const opened = await storage.open(first.key);
    expect(opened.size).toBe(PDF.length);
    expect(await text(opened.stream)).toBe(PDF.toString());
  });

  test('two uploads of the same content at once agree on one file', async () => {
    const { dir, storage } = fresh();
    const results = await Promise.all([1, 2, 3, 4].map(() => storage.put(chunks(PNG, 3), { maxBytes: 1000 })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(kept(dir)).toHaveLength(1);
  });

  test('over the limit: PAYLOAD_TOO_LARGE as soon as it is passed, nothing kept', async () => {
    const { dir, storage } = fresh();
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(100, 1);
      }
    }
    await expect(storage.put(endless(), { maxBytes: 1000 })).rejects.toMatchObject({ extensions: { code: 'PAYLOAD_TOO_LARGE', max: 1000 } });
    expect(pulled).toBe(11);
    expect(kept(dir)).toEqual([]);
  });

  test('refused at the head or at the end, or a broken stream: nothing kept', async () => {
    const { dir, storage } = fresh();
    const refuse = () => {
      throw new Error('refused');
    };
    await expect(storage.put(chunks(EXE), { maxBytes: 10_000, headBytes: 16, onHead: refuse })).rejects.toThrow('refused');
    await expect(storage.put(chunks(OFD), { maxBytes: 10_000, accept: refuse })).rejects.toThrow('refused');
    async function* broken() {
      yield PDF.subarray(0, 10);
      throw new Error('connection reset');
    }
    await expect(storage.put(broken(), { maxBytes: 10_000 })).rejects.toThrow('connection reset');
    expect(kept(dir)).toEqual([]);
  });

  test('the head is seen once, even for content shorter than the head', async () => {
    const { storage } = fresh();
    const heads: Buffer[] = [];
    await storage.put(chunks(PNG, 5), { maxBytes: 1000, headBytes: 512, onHead: (head) => void heads.push(head) });
    await storage.put(chunks(PDF, 5), { maxBytes: 1000, headBytes: 16, onHead: (head) => void heads.push(head) });
    expect(heads.map((h) => h.length)).toEqual([PNG.length, 16]);
    expect(heads[1].equals(PDF.subarray(0, 16))).toBe(true);
  });

  test('keys are hashes: anything else is no file (no path out of the folder)', async () => {
    const { storage } = fresh();
    expect(await storage.exists('../../etc/passwd')).toBe(false);
    await expect(storage.open('../../etc/passwd')).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(storage.open('a'.repeat(64))).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});
