/**
 * This system's schema, Federation 2 SDL written by hand (no code-first kit). The graph knows the
 * system by this text alone: it is committed, as it is here, as schema/subgraphs/hrss.graphql
 * (the conformance test fails if the two differ).
 */
export const HRSS_SDL = `# 县人社局（HRSS）就业补贴业务系统 — a department's own Federation 2 subgraph, written without the
# platform's kit (examples/department-system/). Committed as schema/subgraphs/hrss.graphql and listed
# in schema/supergraph.yaml; the graph knows it only by this SDL and its URL.
# It extends 县行政审批局's Application (applications subgraph) by key with its own records.
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

"""金额，单位：分（整数）。Amount of money in integer fen (1 yuan = 100 fen)."""
scalar Fen

"""
A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the \`date-time\` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format.
"""
scalar DateTimeISO

type Application @key(fields: "id") {
  id: ID!

  """
  县人社局的就业补贴审核（县人社局业务系统）：核实的在职人数、社保缴纳月数和结论。本局尚未审核，或案件不归本局时为 null。县人社局工作人员、县行政审批局、财政、管理员、审计和申请企业本身可见。
  """
  employmentReview: EmploymentReview
}

"""县人社局的审核结论"""
enum EmploymentConclusion {
  """符合条件：按核定金额同意兑现"""
  QUALIFIED

  """不符合条件：不予兑现（写明原因和政策解释）"""
  NOT_QUALIFIED
}

"""县人社局对一件惠企申请的就业情况审核"""
type EmploymentReview {
  """审核人（县人社局工作人员的账号）"""
  reviewer: String!

  """核实的在职职工人数"""
  employedHeadcount: Int!

  """核实的连续缴纳社会保险月数"""
  socialInsuranceMonths: Int!

  conclusion: EmploymentConclusion!

  """核定金额（分），符合条件时"""
  amountFen: Fen

  """不予兑现的原因（不符合条件时）"""
  reason: String

  """不予兑现所依据的政策条款解释（不符合条件时）"""
  policyExplanation: String

  """审核备注"""
  note: String

  reviewedAt: DateTimeISO!

  """本局这一决定的幂等键：送回平台（recordDepartmentDecision）时的 decisionId"""
  decisionId: String!

  """决定已送达平台的时间；尚未送达为 null"""
  decisionRecordedAt: DateTimeISO

  """平台拒收这一决定的原因（错误码和说明），需审核人修改审核后重新送达；无则为 null"""
  decisionError: String
}

"""县人社局收到的一件案件（本局业务系统从平台拉取的待审案件）"""
type EmploymentCase {
  """平台上的申请（县行政审批局 applications 子图）；平台不向调用者显示该申请时为 null"""
  application: Application

  """承办部门代码，如 360732-HRSS"""
  department: String!

  """受理回执编号"""
  receiptNumber: String!

  """申请企业的统一社会信用代码"""
  creditCode: String!

  enterpriseName: String!

  policyTitle: String!

  """本环节办理时限（YYYY-MM-DD）"""
  deadline: String

  """本局业务系统收到案件的时间"""
  receivedAt: DateTimeISO!

  """本局的审核；尚未审核为 null"""
  review: EmploymentReview
}

"""县人社局案件收件箱的一页"""
type EmploymentCaseConnection {
  nodes: [EmploymentCase!]!
  pageInfo: PageInfo!

  """符合条件的总数"""
  totalCount: Int!
}

"""分页信息 Page information for cursor pagination."""
type PageInfo @shareable {
  """是否还有下一页"""
  hasNextPage: Boolean!

  """本页最后一条的游标，传给 after 取下一页"""
  endCursor: String
}

"""县人社局收件箱的筛选条件"""
input EmploymentCaseFilter {
  """承办部门代码（如 360732-HRSS）；本局工作人员只能看本部门的，默认即本部门"""
  department: String

  """true：只看已审核的；false：只看尚未审核的；不填：全部"""
  reviewed: Boolean
}

"""县人社局审核员登记的审核结果"""
input EmploymentReviewInput {
  """平台上的申请编号（本局收件箱中的案件）"""
  applicationId: ID!

  """核实的在职职工人数（0–1000000）"""
  employedHeadcount: Int!

  """核实的连续缴纳社会保险月数（0–600）"""
  socialInsuranceMonths: Int!

  conclusion: EmploymentConclusion!

  """核定金额（分，大于 0）：符合条件时必填"""
  amountFen: Fen

  """经核实的收款账号（8–32 位数字）：符合条件时必填，平台按此拨付"""
  payeeAccount: String

  """开户银行：与收款账号一起必填"""
  payeeBank: String

  """不予兑现的原因：不符合条件时必填"""
  reason: String

  """不予兑现所依据的政策条款解释：不符合条件时必填"""
  policyExplanation: String

  """审核备注"""
  note: String
}

type Query {
  """县人社局的案件收件箱：本局工作人员和业务系统看本部门的案件，审计可看全部"""
  employmentCases(filter: EmploymentCaseFilter, first: Int! = 20, after: String): EmploymentCaseConnection!
}

type Mutation {
  """
  县人社局审核员登记（或在送达平台前修改）一件案件的审核结果；本局业务系统随后把决定送回平台（recordDepartmentDecision，幂等）。决定送达后不能再改（WRONG_STATE）。
  """
  recordEmploymentReview(input: EmploymentReviewInput!): EmploymentReview!
}
`;
