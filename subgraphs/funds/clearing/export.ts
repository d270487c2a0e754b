import { requireRole } from '../../kit/scope';
import type { ExportHandler } from '../../kit/subgraph';
import { loadClearing, readPolicyTitles } from './clearing.service';
import { writeClearingCsv } from './csv';
import { writeClearingXlsx } from './xlsx';
import { clearingArgsFromQuery, clearingScope, CLEARING_READERS } from './scope';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /exports/funds/clearing?year=2026&region=360732[&department=360732-MIIT][&format=csv|xlsx]`
 * at the gateway: the annual clearing as a file a finance clerk opens as is (CSV with BOM, or XLSX
 * streamed by exceljs), the same figures and the same readers as the `annualClearing` query.
 */
export const clearingExport: ExportHandler = async ({ res, query, context }) => {
  // Authorize before anything is read (no oracle on regions or departments).
  requireRole(context.identity, ...CLEARING_READERS);
  const { args, format } = clearingArgsFromQuery(query);
  const scope = await clearingScope(context.identity, args);
  const report = await loadClearing(context.em, scope);
  const named = await readPolicyTitles(context.services.graph, report.lines.map((l) => l.policyId), scope.regionCode, context.log);
  for (const line of report.lines) line.policyTitle = named.get(line.policyId) ?? null;
  const base = `clearing-${scope.fiscalYear}-${scope.regionCode}${scope.department ? `-${scope.department}` : ''}`;
  const chinese = `${scope.fiscalYear}年度清算-${scope.regionCode}${scope.department ? `-${scope.department}` : ''}`;
  res.writeHead(200, {
    'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE,
    'content-disposition': `attachment; filename="${base}.${format}"; filename*=UTF-8''${encodeURIComponent(`${chinese}.${format}`)}`,
    'cache-control': 'no-store',
  });
  if (format === 'csv') await writeClearingCsv(report, res);
  else await writeClearingXlsx(report, res, scope);
};
