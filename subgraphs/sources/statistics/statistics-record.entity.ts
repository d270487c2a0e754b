import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FenScalar } from '../../kit/money';
import { SourceRecord } from '../kit';

export enum StatisticsRecordKind {
  /** 统计年报: one per enterprise and year; occurredOn is the reporting deadline. */
  ANNUAL = 'ANNUAL',
  /** 统计违法行为 (e.g. 虚报、瞒报): occurredOn the decision, endsOn rectified. */
  VIOLATION = 'VIOLATION',
}
registerEnumType(StatisticsRecordKind, {
  name: 'StatisticsRecordKind',
  valuesConfig: { ANNUAL: { description: '统计年报' }, VIOLATION: { description: '统计违法行为' } },
});

/** 县统计局: annual figures and violations, one table (the kit loads it in one statement). */
@ObjectType('StatisticsRecord', { description: '统计记录（县统计局）：年报或统计违法行为' })
@Entity({ tableName: 'statistics_record' })
export class StatisticsRecord extends SourceRecord {
  @Field(() => StatisticsRecordKind)
  @Enum({ items: () => StatisticsRecordKind })
  kind!: StatisticsRecordKind;

  @Field(() => Int, { nullable: true, description: 'ANNUAL：年度' })
  @Property({ type: 'integer', nullable: true })
  year?: number | null;

  @Field(() => Int, { nullable: true, description: 'ANNUAL：从业人员期末人数' })
  @Property({ type: 'integer', nullable: true })
  employees?: number | null;

  @Field(() => FenScalar, { nullable: true, description: 'ANNUAL：工业总产值（或营业收入），分' })
  @Property({ type: 'bigint', runtimeType: 'number', nullable: true })
  outputValueFen?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'ANNUAL：该年度是否为规模以上企业' })
  @Property({ type: 'boolean', nullable: true })
  aboveScale?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'ANNUAL：规上企业的入规年份（可早于 2021）；非规上为 null' })
  @Property({ type: 'integer', nullable: true })
  aboveScaleSince?: number | null;

  @Field(() => String, { nullable: true, description: 'VIOLATION：违法事实' })
  @Property({ type: 'string', length: 200, nullable: true })
  description?: string | null;
}
