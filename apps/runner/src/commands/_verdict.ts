import { analyzeRun, formatAnalysis } from '@mlperf/analysis';
import { ExitCode, isMlperfError, verdictExitCode } from '@mlperf/core';
import { renderTestReport } from '@mlperf/report';

/**
 * The one verdict of a finished run, exactly as `mlperf analyze <dir>` gives it: analysis.json
 * (every criterion on the steady state, findings, explanations), analysis-report.html, and the
 * exit code of the verdict (0 pass, 1 fail, 4 inconclusive). A run that could not be analysed is
 * inconclusive (4); a failure to render the report is printed and leaves the verdict alone.
 */
export function judgeRun(dir: string): ExitCode {
  let code: ExitCode;
  let verdict: string;
  try {
    const analysis = analyzeRun(dir);
    console.log(`\n${formatAnalysis(analysis, 3)}`);
    verdict = analysis.verdict;
    code = verdictExitCode(analysis.verdict);
  } catch (err) {
    console.error(`could not analyse ${dir}: ${isMlperfError(err) ? err.format() : String(err)}`);
    console.log(`Verdict: INCONCLUSIVE (exit ${ExitCode.inconclusive})`);
    return ExitCode.inconclusive;
  }
  try {
    console.log(`Report: ${renderTestReport(dir).path}`);
  } catch (err) {
    console.error(
      `could not render the report of ${dir}: ${isMlperfError(err) ? err.format() : String(err)}`,
    );
  }
  console.log(`Verdict: ${verdict.toUpperCase()} (exit ${code})`);
  return code;
}
