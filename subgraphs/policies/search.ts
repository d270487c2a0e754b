import type { EntityManager } from '@mikro-orm/core';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { PolicySearchTerm, type PolicyVersion } from './policy.entity';

/**
 * 一网查询: the catalog's own search index, one table of (term, policy, weight) with the term
 * leading the primary key, so a look-up is an index search on SQLite and PostgreSQL alike.
 *
 * Terms are jieba's search-mode words (技术改造, 技术, 改造 …) and every CJK character (unigram).
 * A query word matches a policy when the policy has all of the word's characters — so 技改 (one
 * jieba word, in no text) finds 技术改造补贴, and 高新 finds 高新技术企业认定奖励 — and scores
 * more when the word itself is indexed. Title terms weigh far more than guide terms.
 */
let jieba: Jieba | undefined;
const segmenter = () => (jieba ??= Jieba.withDict(dict));

const CJK = /\p{Script=Han}/u;
const WORDY = /[\p{L}\p{N}]/u;
const MAX_TERM = 40;

export const WEIGHTS = { titleWord: 100, titleChar: 20, guideWord: 4, guideChar: 1 };

/** Search-mode words of a text, lower-cased, without punctuation and blanks. */
export function words(text: string): string[] {
  return segmenter()
    .cutForSearch(text, true)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w && WORDY.test(w) && [...w].length <= MAX_TERM);
}

const chars = (text: string) => [...text].filter((c) => CJK.test(c));

/** The index rows of one version: (term → weight), title and guide terms added up. */
export function termsOf(version: Pick<PolicyVersion, 'title' | 'legalBasisTitle' | 'legalBasisNumber' | 'beneficiaries' | 'conditionsText' | 'amountText'>, extra: string[] = []): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (term: string, w: number) => weights.set(term, (weights.get(term) ?? 0) + w);
  const field = (text: string, word: number, char: number) => {
    for (const w of new Set(words(text))) add(w, word);
    for (const c of new Set(chars(text))) add(c, char);
  };
  field(version.title, WEIGHTS.titleWord, WEIGHTS.titleChar);
  field([version.legalBasisTitle, version.legalBasisNumber, version.beneficiaries, version.conditionsText, version.amountText, ...extra].join('\n'), WEIGHTS.guideWord, WEIGHTS.guideChar);
  return weights;
}

/**
 * Replaces a policy's rows in the index, in the caller's transaction. Written natively, not through
 * the unit of work: the index is derived from the version (which is audited), and a few hundred
 * audit events of index rows per save would bury the real change.
 */
export async function reindex(em: EntityManager, policyId: string, terms: Map<string, number>): Promise<void> {
  await em.nativeDelete(PolicySearchTerm, { policyId });
  const rows = [...terms].map(([term, weight]) => ({ term, policyId, weight }));
  for (let i = 0; i < rows.length; i += 1000) await em.insertMany(PolicySearchTerm, rows.slice(i, i + 1000));
}

export interface QueryGroup {
  word: string;
  /** The characters (CJK) or the word itself (Latin, digits) a policy must have to match the word. */
  needs: string[];
}

/** A keyword as groups: each jieba word of it (search mode gives the long ones and their parts; keep the longest cover). */
export function queryGroups(keyword: string): QueryGroup[] {
  const groups = new Map<string, QueryGroup>();
  for (const part of keyword.split(/\s+/).filter(Boolean)) {
    const cut = segmenter()
      .cut(part, true)
      .map((w) => w.trim().toLowerCase())
      .filter((w) => w && WORDY.test(w));
    for (const word of cut) {
      if ([...word].length > MAX_TERM) continue;
      const cjk = chars(word);
      groups.set(word, { word, needs: cjk.length ? [...new Set(cjk)] : [word] });
    }
  }
  return [...groups.values()].slice(0, 20);
}

export interface Hit {
  policyId: string;
  /** Query words matched (all their characters present). */
  matched: number;
  score: number;
}

/**
 * The policies matching at least one query word, with how many words and how much weight. One
 * statement: `term IN (…)` on the index's leading column.
 */
export async function searchIndex(em: EntityManager, groups: QueryGroup[]): Promise<Hit[]> {
  const terms = [...new Set(groups.flatMap((g) => [g.word, ...g.needs]))];
  if (!terms.length) return [];
  const rows = await em.find(PolicySearchTerm, { term: { $in: terms } }, { fields: ['term', 'policyId', 'weight'] });
  const byPolicy = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = byPolicy.get(r.policyId) ?? new Map<string, number>();
    m.set(r.term, r.weight);
    byPolicy.set(r.policyId, m);
  }
  const hits: Hit[] = [];
  for (const [policyId, have] of byPolicy) {
    let matched = 0;
    let score = 0;
    for (const g of groups) {
      if (!g.needs.every((t) => have.has(t))) continue;
      matched++;
      score += g.needs.reduce((s, t) => s + have.get(t)!, 0) + (g.needs.length > 1 || g.needs[0] !== g.word ? have.get(g.word) ?? 0 : 0);
    }
    if (matched) hits.push({ policyId, matched, score });
  }
  return hits;
}
