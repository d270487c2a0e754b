import { Entity, Enum, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { decodeSet } from '../kit/set-column';
import { DepartmentFunction, RegionLevel } from '../../platform/directory';

export { RegionLevel, DepartmentFunction };
registerEnumType(RegionLevel, { name: 'RegionLevel', description: '行政区划级别：省、市、县' });

/** A region (GB/T 2260). The city builds the platform once; every county's data is scoped by region. */
@ObjectType({ description: '行政区划' })
@Directive('@key(fields: "code")')
@Entity({ tableName: 'region' })
export class Region {
  @Field({ description: '行政区划代码，如 360732' })
  @PrimaryKey({ type: 'string', length: 6 })
  code!: string;

  @Field({ description: '名称，如 兴国县' })
  @Property({ type: 'string', length: 50 })
  name!: string;

  @Field(() => RegionLevel)
  @Enum({ items: Object.values(RegionLevel) })
  level!: RegionLevel;

  @Field(() => String, { nullable: true, description: '上级区划代码' })
  @Property({ type: 'string', length: 6, nullable: true })
  parentCode!: string | null;
}

registerEnumType(DepartmentFunction, {
  name: 'DepartmentFunction',
  description: '部门在惠企政策兑现中的职责',
  valuesConfig: {
    POLICY_OWNER: { description: '政策主管部门：制定政策、审核申请' },
    POLICY_MANAGEMENT: { description: '惠企政策归口管理（县发改委）' },
    INTAKE: { description: '受理窗口（专窗、经开区企业综合服务中心）' },
    PAYER: { description: '统一兑付（县行政审批局）' },
    BUDGET: { description: '预算与资金保障（县财政局）' },
    JOINT_AUDIT: { description: '兑付前联合审核的数据来源' },
    OVERSIGHT: { description: '审计与监督' },
    REGISTRY: { description: '市场主体登记' },
  },
});

/** A government department of a county. Code: `<region>-<abbreviation>`, e.g. `360732-TAX`. */
@ObjectType({ description: '政府部门' })
@Directive('@key(fields: "code")')
@Entity({ tableName: 'department' })
export class Department {
  [OptionalProps]?: 'functions';

  @Field({ description: '部门代码：<行政区划>-<简称>，如 360732-TAX' })
  @PrimaryKey({ type: 'string', length: 20 })
  code!: string;

  @Field({ description: '全称' })
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Field({ description: '简称，如 县税务局' })
  @Property({ type: 'string', length: 50 })
  shortName!: string;

  @Field({ description: '所属地区' })
  @Property({ type: 'string', length: 6, index: true })
  regionCode!: string;

  /** Stored as `,A,B,`; exposed as a list. */
  @Property({ type: 'string', length: 200 })
  functionList!: string;

  @Field(() => [DepartmentFunction], { description: '职责' })
  get functions(): DepartmentFunction[] {
    return decodeSet<DepartmentFunction>(this.functionList);
  }
}
