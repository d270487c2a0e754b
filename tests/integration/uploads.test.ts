import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCreditCode } from '../../platform/credit-code';
import { OutboxEvent } from '../../subgraphs/kit/events/entities';
import { lookupUploads, MaterialUpload } from '../../subgraphs/applications/materials';
import { DOCX, EXE, HTML, JPEG, OFD, PDF, PNG, SVG } from '../support/files';
import { startTestGraph, type TestGraph } from '../support/graph';

/**
 * Material uploads through the gateway (docs/uploads.md): `POST /uploads` streamed to the
 * applications subgraph, checked on the bytes (size while streaming, type from magic bytes),
 * hashed, stored once per content under the graph's upload folder, recorded as a MaterialUpload;
 * and `GET /uploads/<id>` for those who may read it. Every refusal is coded and keeps nothing.
 */

const LIMIT = 64 * 1024;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const code = (region: string, body: string) => makeCreditCode({ authority: '9', entityType: '1', regionCode: region, orgBody8: body });
const ENTERPRISE = code('360732', 'UPLAD001');
const OTHER = code('360732', 'UPLAD002');
const YUDU = code('360731', 'UPLAD003');

describe('material uploads beside the graph', () => {
  let graph: TestGraph;
  let base: string;
  let dir: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    graph = await startTestGraph({ demo: false, env: { UPLOAD_MAX_BYTES: String(LIMIT) } });
    base = graph.gatewayUrl.replace(/\/graphql$/, '');
    dir = join(graph.config.uploads.dir, 'applications');
    const claims = {
      enterprise: { role: 'ENTERPRISE', creditCode: ENTERPRISE },
      other: { role: 'ENTERPRISE', creditCode: OTHER },
      clerk: { role: 'WINDOW_CLERK', department: '360732-APPROVAL', region: '360732' },
      edzClerk: { role: 'WINDOW_CLERK', department: '360732-EDZ', region: '360732' },
      taxClerk: { role: 'WINDOW_CLERK', department: '360732-TAX', region: '360732' },
      reviewer: { role: 'DEPARTMENT_REVIEWER', department: '360732-MIIT', region: '360732' },
      bureau: { role: 'APPROVAL_BUREAU', region: '360732' },
      bureauYudu: { role: 'APPROVAL_BUREAU', region: '360731' },
      finance: { role: 'FINANCE', region: '360732' },
      auditor: { role: 'AUDITOR' },
    };
    for (const [name, c] of Object.entries(claims)) tokens[name] = await graph.token(c);
  });
  afterAll(() => graph?.stop());

  interface Sent {
    token?: string;
    fileName?: string;
    creditCode?: string;
    /** Sent as a stream: no Content-Length, the limit is met while streaming. */
    stream?: boolean;
    url?: string;
    headers?: Record<string, string>;
  }
  async function upload(bytes: Buffer, sent: Sent = {}) {
    const url = new URL(sent.url ?? `${base}/uploads`);
    if (sent.creditCode) url.searchParams.set('creditCode', sent.creditCode);
    const body = sent.stream
      ? new ReadableStream({
          start(controller) {
            for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
            controller.close();
          },
        })
      : bytes;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...(sent.token ? { authorization: `Bearer ${sent.token}` } : {}),
        ...(sent.fileName !== undefined ? { 'x-file-name': encodeURIComponent(sent.fileName) } : {}),
        ...sent.headers,
      },
      body,
      duplex: 'half',
    } as RequestInit);
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  }
  const download = async (id: string, token?: string) => fetch(`${base}/uploads/${id}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const rows = () => graph.subgraphs.applications.db.orm.em.fork().count(MaterialUpload, {});
  /** Every file kept. */
  const files = () =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((d) => d !== 'tmp')
          .flatMap((d) => readdirSync(join(dir, d)))
      : [];
  /**
   * The staging folder empties: at once after an answer from the subgraph; shortly after the
   * gateway's own 413, which cuts the subgraph's request (the subgraph then drops what it staged).
   */
  async function stagingEmpties() {
    const staged = () => (existsSync(join(dir, 'tmp')) ? readdirSync(join(dir, 'tmp')) : []);
    for (let i = 0; i < 40 && staged().length; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(staged()).toEqual([]);
  }
  /** Runs `send` and checks it kept nothing: no record, no file, no staged leftover. */
  async function keepsNothing<T>(send: () => Promise<T>): Promise<T> {
    const [before, beforeFiles] = [await rows(), files()];
    const result = await send();
    await stagingEmpties();
    expect(await rows()).toBe(before);
    expect(files()).toEqual(beforeFiles);
    return result;
  }

  test('an enterprise uploads a PDF: id, SHA-256, type from the bytes; the file under the upload folder; the record and its audit event', async () => {
    const { status, body } = await upload(PDF, { token: tokens.enterprise, fileName: '营业执照（副本）.pdf' });
    expect(status).toBe(201);
    expect(body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), sha256: sha256(PDF), size: PDF.length, mediaType: 'application/pdf', fileName: '营业执照（副本）.pdf' });
    expect(readFileSync(join(dir, body.sha256.slice(0, 2), body.sha256)).equals(PDF)).toBe(true);
    const em = graph.subgraphs.applications.db.orm.em.fork();
    expect(await em.findOneOrFail(MaterialUpload, body.id)).toMatchObject({
      creditCode: ENTERPRISE,
      regionCode: '360732',
      uploadedByRole: 'ENTERPRISE',
      uploadedBySubject: 'dev-enterprise',
      uploadedByDepartment: null,
      mediaType: 'application/pdf',
    });
    const audit = (await em.find(OutboxEvent, { type: 'audit.mutation' })).filter((e) => (e.payload as any).entityId === body.id);
    expect(audit.map((e) => (e.payload as any).action)).toEqual(['uploadMaterial']);
  });

  test('a window clerk uploads for an enterprise of its region (PNG, JPEG, OFD; the name as a query parameter too)', async () => {
    const png = await upload(PNG, { token: tokens.clerk, fileName: '厂房照片.png', creditCode: OTHER });
    expect(png).toMatchObject({ status: 201, body: { mediaType: 'image/png', sha256: sha256(PNG) } });
    const jpeg = await upload(JPEG, { token: tokens.edzClerk, creditCode: OTHER, url: `${base}/uploads?fileName=${encodeURIComponent('现场 照片.jpg')}` });
    expect(jpeg).toMatchObject({ status: 201, body: { mediaType: 'image/jpeg', fileName: '现场 照片.jpg' } });
    const ofd = await upload(OFD, { token: tokens.enterprise, fileName: '完税证明.ofd', stream: true });
    expect(ofd).toMatchObject({ status: 201, body: { mediaType: 'application/ofd', size: OFD.length, sha256: sha256(OFD) } });
    const row = await graph.subgraphs.applications.db.orm.em.fork().findOneOrFail(MaterialUpload, png.body.id);
    expect(row).toMatchObject({ creditCode: OTHER, uploadedByRole: 'WINDOW_CLERK', uploadedByDepartment: '360732-APPROVAL' });
  });

  test('the same bytes twice: two records, one file', async () => {
    const content = Buffer.concat([PDF, Buffer.from('% twice\n')]);
    const first = await upload(content, { token: tokens.enterprise, fileName: 'a.pdf' });
    const filesAfterFirst = files();
    const second = await upload(content, { token: tokens.clerk, fileName: 'b.pdf', creditCode: ENTERPRISE });
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect(files()).toEqual(filesAfterFirst);
    expect(files().filter((f) => f === first.body.sha256)).toHaveLength(1);
  });

  test.each([
    ['an .exe renamed .pdf', EXE, '申请表.pdf', 'windows-executable'],
    ['HTML named .pdf', HTML, '申请表.pdf', 'html'],
    ['SVG named .png', SVG, '照片.png', 'xml-or-svg'],
    ['a Word document named .ofd', DOCX, '证明.ofd', 'zip'],
    ['an empty file', Buffer.alloc(0), '空.pdf', 'empty'],
  ])('refused, nothing kept: %s', async (_name, bytes, fileName, detected) => {
    const { status, body } = await keepsNothing(() => upload(bytes, { token: tokens.enterprise, fileName }));
    expect(status).toBe(415);
    expect(body.errors[0].extensions).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', detected, accepted: ['application/pdf', 'image/jpeg', 'image/png', 'application/ofd'] });
    expect(body.errors[0].message).toMatch(/^不支持的文件类型：.*请上传 PDF、JPEG、PNG、OFD 格式的材料/);
  });

  test('an executable is refused at its first bytes, not after the whole upload', async () => {
    // Well under the limit, but the refusal must not wait for the end: 60 KiB after an MZ header.
    const big = Buffer.concat([EXE, Buffer.alloc(LIMIT - EXE.length - 100, 0x41)]);
    const { status, body } = await keepsNothing(() => upload(big, { token: tokens.enterprise, fileName: 'setup.pdf', stream: true }));
    expect(status).toBe(415);
    expect(body.errors[0].extensions.detected).toBe('windows-executable');
  });

  test('too large: 413 PAYLOAD_TOO_LARGE, announced or found while streaming; nothing kept', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT, 0x20)]);
    for (const stream of [false, true]) {
      const { status, body } = await keepsNothing(() => upload(big, { token: tokens.enterprise, fileName: '大文件.pdf', stream }));
      expect(status).toBe(413);
      expect(body.errors[0].extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', max: LIMIT });
    }
    // Exactly the limit is taken.
    const exact = Buffer.concat([PDF, Buffer.alloc(LIMIT - PDF.length, 0x20)]);
    expect((await upload(exact, { token: tokens.enterprise, fileName: '刚好.pdf', stream: true })).status).toBe(201);
  });

  test('the subgraph enforces the limit itself while streaming (a request signed by the gateway, no Content-Length)', async () => {
    const subgraph = graph.subgraphs.applications.http.url.replace(/\/graphql$/, '');
    const identity = await graph.signIdentity({ role: 'ENTERPRISE', creditCode: ENTERPRISE, subject: 'direct' }, 'applications');
    const big = Buffer.concat([PDF, Buffer.alloc(LIMIT * 2, 0x20)]);
    const { status, body } = await keepsNothing(() => upload(big, { url: `${subgraph}/uploads`, fileName: 'x.pdf', stream: true, headers: { 'x-qinqing-identity': identity } }));
    expect(status).toBe(413);
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('unauthenticated: no token or a bad one is 401 at the gateway; unsigned or foreign-signed calls straight to the subgraph are 401', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const { status, body } = await keepsNothing(() => upload(PDF, { token, fileName: 'a.pdf' }));
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const subgraph = `${graph.subgraphs.applications.http.url.replace(/\/graphql$/, '')}/uploads`;
    const forPolicies = await graph.signIdentity({ role: 'ENTERPRISE', creditCode: ENTERPRISE }, 'policies');
    for (const headers of [{}, { 'x-qinqing-identity': forPolicies }, { 'x-qinqing-identity': 'forged' }] as Record<string, string>[]) {
      const { status, body } = await keepsNothing(() => upload(PDF, { url: subgraph, fileName: 'a.pdf', headers }));
      expect(status).toBe(401);
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  test.each([
    ['an enterprise for another enterprise', 'enterprise', OTHER],
    ['a window clerk for an enterprise of another county', 'clerk', YUDU],
    ['a clerk of a department that is no window', 'taxClerk', ENTERPRISE],
    ['a department reviewer', 'reviewer', ENTERPRISE],
    ['the Approval Bureau', 'bureau', ENTERPRISE],
    ['the auditor', 'auditor', ENTERPRISE],
    ['finance', 'finance', ENTERPRISE],
  ])('refused with FORBIDDEN, nothing kept: %s', async (_name, caller, creditCode) => {
    // Decided before the body is read; the answer still arrives whole while a large body streams on.
    const large = Buffer.concat([PDF, Buffer.alloc(LIMIT - PDF.length - 1, 0x20)]);
    const { status, body } = await keepsNothing(() => upload(large, { token: tokens[caller], fileName: 'a.pdf', creditCode, stream: true }));
    expect(status).toBe(403);
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('a clerk must name the enterprise, with a valid credit code', async () => {
    const missing = await keepsNothing(() => upload(PDF, { token: tokens.clerk, fileName: 'a.pdf' }));
    expect(missing).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT', problems: [{ field: 'creditCode' }] } }] } });
    const badCheckCharacter = ENTERPRISE.slice(0, 17) + (ENTERPRISE[17] === '0' ? '1' : '0');
    const wrong = await keepsNothing(() => upload(PDF, { token: tokens.clerk, fileName: 'a.pdf', creditCode: badCheckCharacter }));
    expect(wrong).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'INVALID_CREDIT_CODE' } }] } });
  });

  test.each([
    ['NUL', 'a\u0000.pdf', '控制字符'],
    ['a bidi override', '发票\u202Efdp.exe', '文字方向'],
    ['a path', '../../a.pdf', '路径分隔符'],
    ['nothing', '', '缺少文件名'],
  ])('a file name with %s is refused, nothing kept', async (_name, fileName, words) => {
    const { status, body } = await keepsNothing(() => upload(PDF, { token: tokens.enterprise, fileName }));
    expect(status).toBe(400);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ field: 'fileName', message: expect.stringContaining(words) }] });
  });

  describe('download: GET /uploads/<id>', () => {
    let id: string;
    beforeAll(async () => {
      id = (await upload(PDF, { token: tokens.enterprise, fileName: '营业执照 "副本".pdf' })).body.id;
    });

    test('the enterprise gets its file as a download: its type, its name, nosniff', async () => {
      const response = await download(id, tokens.enterprise);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="____ ____.pdf"; filename*=UTF-8''${encodeURIComponent('营业执照 "副本".pdf')}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(Buffer.from(await response.arrayBuffer()).equals(PDF)).toBe(true);
    });

    test('officials who may read it get it, and the read is in the access log', async () => {
      for (const caller of ['auditor', 'bureau']) expect((await download(id, tokens[caller])).status).toBe(200);
      const em = graph.subgraphs.applications.db.orm.em.fork();
      const reads = (await em.find(OutboxEvent, { type: 'access.read' })).map((e) => e.payload as any).filter((p) => p.what === 'MaterialUpload');
      expect(reads.map((p) => [p.actor.role, p.enterprises])).toEqual(expect.arrayContaining([['AUDITOR', [ENTERPRISE]], ['APPROVAL_BUREAU', [ENTERPRISE]]]));
    });

    test('anyone else: 404 exactly as for an id that does not exist (no oracle); FINANCE 403; the public 401', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const caller of ['other', 'bureauYudu', 'reviewer', 'clerk']) {
        const [theirs, none] = [await download(id, tokens[caller]), await download(unknown, tokens[caller])];
        expect([theirs.status, none.status]).toEqual([404, 404]);
        expect(await theirs.json()).toEqual(await none.json());
      }
      expect((await download('not-an-id', tokens.enterprise)).status).toBe(404);
      expect((await download(id, tokens.finance)).status).toBe(403);
      expect((await download(id)).status).toBe(401);
    });
  });

  test('lookupUploads: the intake’s check of references — own uploads (by itself or a window) come with their hash; another enterprise’s is left out like a missing one', async () => {
    const mine = (await upload(PNG, { token: tokens.enterprise, fileName: '照片.png' })).body;
    const byWindow = (await upload(PDF, { token: tokens.clerk, fileName: '申请表.pdf', creditCode: ENTERPRISE })).body;
    const theirs = (await upload(PNG, { token: tokens.other, fileName: '照片.png' })).body;
    const em = graph.subgraphs.applications.db.orm.em.fork();
    const missing = '00000000-0000-4000-8000-000000000000';
    const found = await lookupUploads(em, [mine.id, byWindow.id, theirs.id, missing, 'not-a-uuid-at-all', mine.id], {
      creditCode: ENTERPRISE,
      identity: { role: 'ENTERPRISE', creditCode: ENTERPRISE },
    });
    expect(Object.fromEntries(found)).toEqual({
      [mine.id]: { uploadId: mine.id, sha256: sha256(PNG), mediaType: 'image/png', size: PNG.length },
      [byWindow.id]: { uploadId: byWindow.id, sha256: sha256(PDF), mediaType: 'application/pdf', size: PDF.length },
    });
    // The other enterprise sees its own, and not ours.
    const forOther = await lookupUploads(em, [mine.id, theirs.id], { creditCode: OTHER, identity: { role: 'ENTERPRISE', creditCode: OTHER } });
    expect([...forOther.keys()]).toEqual([theirs.id]);
  });

  test('metrics count uploads by outcome', async () => {
    const text = await (await fetch(graph.subgraphs.applications.http.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/qinqing_uploads_total\{outcome="stored",service="applications"\} [1-9]/);
    expect(text).toMatch(/qinqing_uploads_total\{outcome="duplicate",service="applications"\} [1-9]/);
    expect(text).toMatch(/qinqing_uploads_total\{outcome="UNSUPPORTED_MEDIA_TYPE",service="applications"\} [1-9]/);
  });
});
