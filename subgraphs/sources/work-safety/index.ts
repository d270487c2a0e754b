import { defineSource, enterpriseKeyType, FindingCategory, FindingSeverity, recordsGroup, seedCases, sourceInfo } from '../kit';
import { postgresqlMigrations, sqliteMigrations } from './migrations';
import { SafetyRecord, SafetyRecordKind } from './safety-record.entity';

export const workSafety = sourceInfo({ name: 'work-safety', fieldPrefix: 'workSafety', department: 'SAFETY', owner: '县应急管理局' });
const Enterprise = enterpriseKeyType();
const group = recordsGroup({ info: workSafety, enterprise: Enterprise, record: SafetyRecord, typeName: 'WorkSafetyRecords', description: '安全生产违法行为与生产安全事故（县应急管理局）' });

const VIOLATIONS = ['未按规定开展安全生产教育和培训', '未建立事故隐患排查治理制度', '特种作业人员未持证上岗', '危险化学品储存不符合规定', '未按规定配备消防设施'];
const ACCIDENTS = ['机械伤害事故', '高处坠落事故', '触电事故', '物体打击事故'];

/** 县应急管理局: production-safety violations (~3 %) and accidents (~0.5 %). */
export const workSafetySubgraph = defineSource({
  info: workSafety,
  enterprise: Enterprise,
  records: SafetyRecord,
  findings: (records) =>
    records.map((r) => {
      const accident = r.kind === SafetyRecordKind.ACCIDENT;
      return {
        category: accident ? FindingCategory.SAFETY_ACCIDENT : FindingCategory.SAFETY_VIOLATION,
        severity: (accident && r.fatalities > 0) || r.amountFen >= 10_000_000 ? FindingSeverity.SERIOUS : FindingSeverity.MINOR,
        occurredOn: r.occurredOn,
        endsOn: r.endsOn ?? null,
        reference: r.reference,
        reason: accident
          ? `${r.occurredOn} 发生${r.description}${r.fatalities ? `，死亡 ${r.fatalities} 人` : '，无人员死亡'}${r.endsOn ? `，${r.endsOn} 结案` : '，尚未结案'}`
          : `${r.occurredOn} 因${r.description}被处罚款 ${(r.amountFen / 100).toLocaleString('zh-CN')} 元${r.endsOn ? `，${r.endsOn} 整改完毕` : '，尚未整改完毕'}`,
        recordedAt: r.recordedAt,
      };
    }),
  resolvers: [group.resolver],
  orphanedTypes: [group.type],
  entities: [SafetyRecord],
  migrations: { sqlite: sqliteMigrations, postgresql: postgresqlMigrations },
  seed: (em, options) =>
    seedCases(em, options, {
      source: 'work-safety',
      entity: SafetyRecord,
      rate: (e) => ('BCEG'.includes(e.industryCode[0]) ? 0.06 : 0.015),
      documentWord: '应急罚',
      ends: { chance: 0.85, afterDays: [15, 200] },
      columns: (dice) =>
        dice.chance(0.15)
          ? { kind: SafetyRecordKind.ACCIDENT, description: dice.pick(ACCIDENTS), fatalities: dice.chance(0.3) ? 1 : 0, amountFen: dice.int(20, 100) * 1_000_000 }
          : { kind: SafetyRecordKind.VIOLATION, description: dice.pick(VIOLATIONS), fatalities: 0, amountFen: dice.int(1, 50) * 1_000_000 },
    }),
});
