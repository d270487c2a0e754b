import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * 县人社局's own database: plain SQL on one SQLite file. Two tables — the cases it pulled from the
 * platform and its reviews of them — and a schema version in `PRAGMA user_version`.
 */

/** Each entry brings the schema from version i to i + 1; applied in one transaction at open. */
const MIGRATIONS = [
  `CREATE TABLE hrss_case (
     application_id  TEXT PRIMARY KEY,
     department      TEXT NOT NULL,
     region_code     TEXT NOT NULL,
     receipt_number  TEXT NOT NULL,
     credit_code     TEXT NOT NULL,
     enterprise_name TEXT NOT NULL,
     policy_id       TEXT NOT NULL,
     policy_title    TEXT NOT NULL,
     deadline        TEXT,
     received_at     TEXT NOT NULL
   );
   CREATE INDEX hrss_case_department ON hrss_case (department, application_id);
   CREATE TABLE employment_review (
     application_id          TEXT PRIMARY KEY REFERENCES hrss_case (application_id),
     reviewer                TEXT NOT NULL,
     employed_headcount      INTEGER NOT NULL CHECK (employed_headcount BETWEEN 0 AND 1000000),
     social_insurance_months INTEGER NOT NULL CHECK (social_insurance_months BETWEEN 0 AND 600),
     conclusion              TEXT NOT NULL CHECK (conclusion IN ('QUALIFIED', 'NOT_QUALIFIED')),
     amount_fen              INTEGER CHECK (amount_fen > 0),
     payee_account           TEXT,
     payee_bank              TEXT,
     reason                  TEXT,
     policy_explanation      TEXT,
     note                    TEXT,
     reviewed_at             TEXT NOT NULL,
     decision_id             TEXT NOT NULL UNIQUE,
     decision_recorded_at    TEXT,
     decision_error          TEXT
   );`,
];

export interface CaseRow {
  application_id: string;
  department: string;
  region_code: string;
  receipt_number: string;
  credit_code: string;
  enterprise_name: string;
  policy_id: string;
  policy_title: string;
  deadline: string | null;
  received_at: string;
}

export interface ReviewRow {
  application_id: string;
  reviewer: string;
  employed_headcount: number;
  social_insurance_months: number;
  conclusion: 'QUALIFIED' | 'NOT_QUALIFIED';
  amount_fen: number | null;
  payee_account: string | null;
  payee_bank: string | null;
  reason: string | null;
  policy_explanation: string | null;
  note: string | null;
  reviewed_at: string;
  decision_id: string;
  decision_recorded_at: string | null;
  decision_error: string | null;
}

/** A case with its review (null when not reviewed yet). */
export interface CaseWithReview extends CaseRow {
  review: ReviewRow | null;
}

const REVIEW_COLUMNS = [
  'reviewer',
  'employed_headcount',
  'social_insurance_months',
  'conclusion',
  'amount_fen',
  'payee_account',
  'payee_bank',
  'reason',
  'policy_explanation',
  'note',
  'reviewed_at',
  'decision_id',
  'decision_recorded_at',
  'decision_error',
] as const;

const CASE_WITH_REVIEW = `SELECT c.*, ${REVIEW_COLUMNS.map((c) => `r.${c} AS r_${c}`).join(', ')}
  FROM hrss_case c LEFT JOIN employment_review r ON r.application_id = c.application_id`;

function withReview(row: Record<string, unknown>): CaseWithReview {
  const { r_reviewer, ...rest } = row;
  const review = r_reviewer === null || r_reviewer === undefined ? null : ({ application_id: row.application_id, reviewer: r_reviewer } as Record<string, unknown>);
  const base: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (!key.startsWith('r_')) base[key] = value;
    else if (review) review[key.slice(2)] = value;
  }
  return { ...(base as unknown as CaseRow), review: review as unknown as ReviewRow | null };
}

export type Store = ReturnType<typeof openStore>;

/** Opens (creating if needed) the database and brings its schema up to date. */
export function openStore(path: string, options: { onSql?: (sql: string) => void } = {}) {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { timeout: 5_000, verbose: options.onSql });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) throw new Error(`${path}: schema version ${version} is newer than this program (${MIGRATIONS.length})`);
  db.transaction(() => {
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();

  // One statement for any number of ids: the ids travel as one JSON array parameter.
  const byIds = db.prepare<Record<string, unknown>>(`${CASE_WITH_REVIEW} WHERE c.application_id IN (SELECT value FROM json_each(?))`);
  const byId = db.prepare<Record<string, unknown>>(`${CASE_WITH_REVIEW} WHERE c.application_id = ?`);
  const insertCase = db.prepare(
    `INSERT INTO hrss_case (application_id, department, region_code, receipt_number, credit_code, enterprise_name, policy_id, policy_title, deadline, received_at)
     VALUES (@application_id, @department, @region_code, @receipt_number, @credit_code, @enterprise_name, @policy_id, @policy_title, @deadline, @received_at)
     ON CONFLICT (application_id) DO NOTHING`,
  );
  const upsertReview = db.prepare(
    `INSERT INTO employment_review (application_id, ${REVIEW_COLUMNS.join(', ')})
     VALUES (@application_id, ${REVIEW_COLUMNS.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (application_id) DO UPDATE SET ${REVIEW_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
     WHERE employment_review.decision_recorded_at IS NULL`,
  );
  const pending = db.prepare<Record<string, unknown>>(
    `${CASE_WITH_REVIEW} WHERE c.department = ? AND r.reviewer IS NOT NULL AND r.decision_recorded_at IS NULL AND r.decision_error IS NULL ORDER BY r.reviewed_at`,
  );
  const recorded = db.prepare(`UPDATE employment_review SET decision_recorded_at = ?, decision_error = NULL WHERE application_id = ? AND decision_id = ?`);
  const refused = db.prepare(`UPDATE employment_review SET decision_error = ? WHERE application_id = ? AND decision_id = ?`);

  return {
    db,
    /** Cases (with reviews) for these ids, in one SELECT; ids it does not have are simply absent. */
    casesByIds(ids: readonly string[]): CaseWithReview[] {
      return byIds.all(JSON.stringify(ids)).map(withReview);
    },
    caseById(id: string): CaseWithReview | undefined {
      const row = byId.get(id);
      return row ? withReview(row) : undefined;
    },
    /**
     * One page of a department's cases (or all departments' with `departments` undefined), by
     * application id after `after`; `totalCount` counts every match.
     */
    listCases(filter: { departments?: string[]; reviewed?: boolean; first: number; after?: string }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.departments) {
        where.push('c.department IN (SELECT value FROM json_each(?))');
        params.push(JSON.stringify(filter.departments));
      }
      if (filter.reviewed !== undefined) where.push(filter.reviewed ? 'r.reviewer IS NOT NULL' : 'r.reviewer IS NULL');
      const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
      const total = db.prepare<{ n: number }>(`SELECT count(*) AS n FROM hrss_case c LEFT JOIN employment_review r ON r.application_id = c.application_id${clause}`).get(...params)!.n;
      const pageWhere = filter.after ? `${clause ? `${clause} AND` : ' WHERE'} c.application_id > ?` : clause;
      const rows = db
        .prepare<Record<string, unknown>>(`${CASE_WITH_REVIEW}${pageWhere} ORDER BY c.application_id LIMIT ?`)
        .all(...params, ...(filter.after ? [filter.after] : []), filter.first + 1)
        .map(withReview);
      return { rows: rows.slice(0, filter.first), hasNextPage: rows.length > filter.first, totalCount: total };
    },
    /** Cases pulled from the platform; one already here is left as it is. Returns how many were new. */
    addCases(rows: CaseRow[]): number {
      return db.transaction(() => rows.reduce((added, row) => added + insertCase.run(row).changes, 0))();
    },
    /** Writes the review unless its decision already reached the platform; false then. */
    saveReview(review: ReviewRow): boolean {
      return upsertReview.run(review).changes === 1;
    },
    /** Reviews of a department whose decision has not reached the platform (nor been refused by it). */
    pendingDecisions(department: string): CaseWithReview[] {
      return pending.all(department).map(withReview);
    },
    markRecorded(applicationId: string, decisionId: string, at: string): void {
      recorded.run(at, applicationId, decisionId);
    },
    markRefused(applicationId: string, decisionId: string, error: string): void {
      refused.run(error, applicationId, decisionId);
    },
    /** `/ready`: the database answers. */
    ping(): boolean {
      return db.prepare<{ ok: number }>('SELECT 1 AS ok').get()?.ok === 1;
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}
