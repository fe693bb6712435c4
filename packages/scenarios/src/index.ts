export { standardDfsps, standardSuite, standardTestFileName } from './standard-suite.js';
export {
  formatCheckLine,
  formatCheckReport,
  generatorSelfTest,
  judgeGenerator,
  runChecks,
} from './check/index.js';
export type {
  CheckId,
  CheckInput,
  CheckNumber,
  CheckPlan,
  CheckReport,
  CheckResult,
  CheckStatus,
  CheckTarget,
  ClusterNeed,
  KubeAccess,
  LiquidityNeed,
  SelfTestResult,
  ServiceEndpoint,
} from './check/index.js';
