import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { FilterQuery } from '@mikro-orm/core';
import { validate } from 'class-validator';
import { stringify } from 'csv-stringify';
import { parseCreditCode } from '../../platform/credit-code';
import { invalidInput, problemsFromValidation, type FieldProblem } from '../../platform/errors';
import type { ExportHandler } from '../kit/subgraph';
import { AuditEntry, AuditKind } from './audit-entry.entity';
import { assertAuditReader, auditConditions, AuditEventFilter } from './audit-scope';

/** Rows fetched per query: memory stays constant however many rows the export has. */
const EXPORT_PAGE = 500;

const COLUMNS: [header: string, value: (e: AuditEntry) => string | number | null][] = [
  ['序号', (e) => e.seq],
  ['类别', (e) => (e.kind === AuditKind.ACCESS ? '访问' : '变更')],
  ['发生时间', (e) => new Date(e.occurredAt).toISOString()],
  ['操作人', (e) => e.actorSubject],
  ['角色', (e) => e.actorRole],
  ['操作人地区', (e) => e.actorRegion],
  ['操作人部门', (e) => e.actorDepartment],
  ['操作', (e) => e.action],
  ['变更类型', (e) => e.operation],
  ['实体', (e) => e.entity],
  ['实体主键', (e) => e.entityId],
  ['涉及企业', (e) => e.enterprises.join(' ')],
  ['数据地区', (e) => e.regionCode],
  ['数据所有部门', (e) => e.ownerDepartment],
  ['访问目的', (e) => e.purpose],
  ['未脱敏字段', (e) => e.unmasked.join(' ')],
  ['变更前', (e) => (e.before ? JSON.stringify(e.before) : null)],
  ['变更后', (e) => (e.after ? JSON.stringify(e.after) : null)],
  ['来源子图', (e) => e.source],
  ['请求ID', (e) => e.requestId],
  ['追踪ID', (e) => e.traceId],
  ['入链时间', (e) => new Date(e.recordedAt).toISOString()],
  ['哈希', (e) => e.hash],
];

const FILTER_KEYS = ['enterprise', 'department', 'actor', 'action', 'entity', 'kind', 'from', 'to'] as const;

/** The query string as an AuditEventFilter, checked by the same rules as the GraphQL argument. */
async function filterFromQuery(query: URLSearchParams): Promise<AuditEventFilter> {
  const problems: FieldProblem[] = [];
  const plain: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const value = query.get(key);
    if (value === null || value === '') continue;
    if (key === 'enterprise') {
      try {
        plain.enterprise = parseCreditCode(value);
      } catch (error) {
        problems.push({ field: 'enterprise', message: (error as Error).message });
      }
    } else if (key === 'kind') {
      if (value in AuditKind) plain.kind = value;
      else problems.push({ field: 'kind', message: '类别应为 MUTATION 或 ACCESS' });
    } else if (key === 'from' || key === 'to') {
      const date = new Date(value);
      if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) problems.push({ field: key, message: `${key} 应为 ISO 8601 时间，如 2026-01-01T00:00:00Z` });
      else plain[key] = date;
    } else plain[key] = value;
  }
  const filter = Object.assign(new AuditEventFilter(), plain);
  problems.push(...problemsFromValidation(await validate(filter)));
  if (problems.length) throw invalidInput(problems);
  return filter;
}

/**
 * `GET /exports/audit-events.csv?<filter>`: the auditEvents of the caller's scope as CSV a clerk
 * opens in Excel (UTF-8 with BOM, Chinese headers), streamed page by page in seq order.
 */
export const auditEventsCsv: ExportHandler = async ({ res, query, context }) => {
  // Authorize before anything is read or written.
  assertAuditReader(context.identity);
  const filter = await filterFromQuery(query);
  const where = auditConditions(context.em, context.identity, filter);
  // escape_formulas: a value a caller chose (a purpose, a name) starting with = + - @ opens in Excel
  // as text, not as a formula (CSV injection).
  const csv = stringify({ header: true, columns: COLUMNS.map(([header]) => header), bom: true, escape_formulas: true });
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="audit-events.csv"; filename*=UTF-8''${encodeURIComponent('审计日志.csv')}`,
    'cache-control': 'no-store',
  });
  csv.pipe(res);
  let after = 0;
  for (;;) {
    const page = await context.em.find(AuditEntry, { $and: [where(), { seq: { $gt: after } }] } as FilterQuery<AuditEntry>, {
      orderBy: { seq: 'asc' },
      limit: EXPORT_PAGE,
    });
    context.em.clear();
    for (const entry of page) {
      // Backpressure: wait for a slow client instead of buffering the whole log.
      if (!csv.write(COLUMNS.map(([, value]) => value(entry)))) await once(csv, 'drain');
    }
    if (page.length < EXPORT_PAGE) break;
    after = page[page.length - 1].seq;
  }
  csv.end();
  await finished(res);
};
