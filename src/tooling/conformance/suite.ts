/**
 * @module conformance/suite
 * Upstream's e2e suite (`sigs.k8s.io/lws/test/e2e` v0.10.0) as a conformance test of this controller:
 * which cases are skipped and why, and how ginkgo's JSON report becomes one line per upstream case.
 * Pure functions only; building the suite is `build.ts`, running it `run.ts`.
 */

export const LWS_MODULE = 'sigs.k8s.io/lws';
export const LWS_VERSION = 'v0.10.0';
export const SUITE_PACKAGE = `${LWS_MODULE}/test/e2e`;

/** Cases of the built package that cannot run here, by a regular expression on the full ginkgo name. */
export interface SkipRule {
  /** A Go (RE2) and JavaScript regular expression; joined with "|" into --ginkgo.skip. */
  pattern: string;
  reason: string;
}

export const SKIP_RULES: readonly SkipRule[] = [
  {
    pattern: 'metrics endpoint',
    reason:
      'execs kubectl against the controller as an in-cluster pod (lws-system Deployment, its logs, a metrics Service) ' +
      'and curls it from a curlimages/curl Job: needs real containers; /metrics itself is covered by test/cluster/runtime-observability.test.ts',
  },
];

/**
 * Upstream's gang cases skip themselves unless SCHEDULER_PROVIDER=volcano; the run sets it, on a cluster with
 * Volcano and the controller configured with the volcano provider (as upstream's test-e2e-gang-scheduling-volcano).
 */
export const SCHEDULER_PROVIDER = 'volcano';

/**
 * Upstream e2e packages that are not built at all: their cases are listed as skipped, per package. None now:
 * test/e2e/disaggregatedset runs against the same controller (disaggregatedset.ts) and test/e2e/upgrade in both
 * directions between upstream's manager and lws-ts (upgrade.ts).
 */
export const SKIPPED_PACKAGES: readonly { name: string; reason: string }[] = [];

/**
 * What a case depends on in the local cluster (kwok fake nodes, no containers). Printed with a failing
 * case, so a local-cluster cause is told apart from a controller difference.
 */
export const LOCAL_CLUSTER_NOTES: readonly { pattern: RegExp; note: string }[] = [
  {
    pattern: /even if old lws not ready/,
    note:
      'the old pods (image not-exist-image:v1) are kept Pending and unready by a kwok stage of the conformance ' +
      'cluster, as an image that cannot be pulled keeps them on kind',
  },
  {
    pattern: /size=1|maxSurge set|MaxSurge set|MaxSurge$/,
    note:
      'watches a transient surge state (leader StatefulSet with extra replicas) at a 250 ms poll: it lasts about ' +
      'the pod-ready delay of the local cluster; a heavily loaded host can make it too short to see',
  },
  {
    pattern: /Pod restart will delete the pod group/,
    note:
      'needs the deleted worker to linger (pod-delete delay) so the restart is seen; upstream notes the case is racy ' +
      '(kubernetes-sigs/lws#998), the event-driven restart here is not',
  },
];

export function skipPattern(rules: readonly SkipRule[] = SKIP_RULES): string {
  return rules.map((r) => r.pattern).join('|');
}

/** The subset of a ginkgo v2 JSON report this module reads. */
export interface GinkgoReport {
  SuitePath?: string;
  SuiteSucceeded?: boolean;
  SuiteConfig?: { RandomSeed?: number };
  RunTime?: number;
  SpecialSuiteFailureReasons?: string[] | null;
  SpecReports?: GinkgoSpecReport[] | null;
}

export interface GinkgoSpecReport {
  ContainerHierarchyTexts?: string[] | null;
  LeafNodeType: string;
  LeafNodeText?: string;
  State: string;
  RunTime?: number;
  Failure?: {
    Message?: string;
    Location?: { FileName?: string; LineNumber?: number };
    FailureNodeType?: string;
    FailureNodeLocation?: { FileName?: string; LineNumber?: number };
  };
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface CaseResult {
  verdict: Verdict;
  name: string;
  seconds?: number;
  /** Why it was skipped, or what failed (first lines of the failure and where). */
  detail?: string;
  /** What the local cluster contributes to this case, when it matters. */
  note?: string;
}

export function caseName(spec: GinkgoSpecReport): string {
  return [...(spec.ContainerHierarchyTexts ?? []), spec.LeafNodeText ?? ''].filter((t) => t !== '').join(' ');
}

function noteFor(name: string): string | undefined {
  return LOCAL_CLUSTER_NOTES.find((n) => n.pattern.test(name))?.note;
}

function failureDetail(spec: GinkgoSpecReport): string {
  const f = spec.Failure;
  const message = (f?.Message ?? '').trim().split('\n').slice(0, 12).join('\n');
  const where = f?.Location?.FileName ? ` at ${f.Location.FileName}:${f.Location.LineNumber}` : '';
  const node = f?.FailureNodeType && f.FailureNodeType !== 'It' ? ` in ${f.FailureNodeType}` : '';
  return `${spec.State}${node}${where}${message ? `: ${message}` : ''}`;
}

/**
 * One result per `It` of the report, in the report's order. `expected` (the names of a dry run) adds the
 * cases the report lacks, e.g. when the suite binary died, as failures. A case skipped by no rule of ours
 * (because a BeforeSuite failed, say) is a failure too: only the documented skips count as skips.
 */
export function caseResults(
  report: GinkgoReport | undefined,
  options: { rules?: readonly SkipRule[]; focus?: string; expected?: readonly string[]; missingReason?: string } = {},
): CaseResult[] {
  const rules = options.rules ?? SKIP_RULES;
  const specs = report?.SpecReports ?? [];
  const suiteSetupFailure = specs.find(
    (s) => (s.LeafNodeType === 'BeforeSuite' || s.LeafNodeType === 'SynchronizedBeforeSuite') && s.State !== 'passed',
  );
  const results: CaseResult[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.LeafNodeType !== 'It') continue;
    const name = caseName(spec);
    seen.add(name);
    const rule = rules.find((r) => new RegExp(r.pattern).test(name));
    const seconds = spec.RunTime !== undefined ? spec.RunTime / 1e9 : undefined;
    if (rule) {
      results.push({ verdict: 'SKIP', name, detail: rule.reason });
    } else if (spec.State === 'passed') {
      results.push({ verdict: 'PASS', name, seconds });
    } else if (spec.State === 'skipped' && options.focus && !new RegExp(options.focus).test(name)) {
      results.push({ verdict: 'SKIP', name, detail: `not selected by --focus ${options.focus}` });
    } else if (spec.State === 'skipped') {
      // Not run although no rule skips it: the suite set-up failed, or the run was interrupted or timed out.
      const why = suiteSetupFailure
        ? `the suite's BeforeSuite failed (${failureDetail(suiteSetupFailure)})`
        : (report?.SpecialSuiteFailureReasons ?? []).join('; ') || 'skipped by the suite';
      results.push({ verdict: 'FAIL', name, detail: `not run: ${why}` });
    } else {
      results.push({ verdict: 'FAIL', name, seconds, detail: failureDetail(spec), note: noteFor(name) });
    }
  }
  for (const name of options.expected ?? []) {
    if (seen.has(name)) continue;
    const rule = rules.find((r) => new RegExp(r.pattern).test(name));
    if (rule) results.push({ verdict: 'SKIP', name, detail: rule.reason });
    else if (options.focus && !new RegExp(options.focus).test(name))
      results.push({ verdict: 'SKIP', name, detail: `not selected by --focus ${options.focus}` });
    else results.push({ verdict: 'FAIL', name, detail: options.missingReason ?? 'not in the suite report' });
  }
  return results;
}

/** The package-level skips (packages not built), as results. */
export function packageSkips(): CaseResult[] {
  return SKIPPED_PACKAGES.map((p) => ({ verdict: 'SKIP' as const, name: p.name, detail: p.reason }));
}

/** Names of the `It`s of a dry-run report. */
export function specNames(report: GinkgoReport): string[] {
  return (report.SpecReports ?? []).filter((s) => s.LeafNodeType === 'It').map(caseName);
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');

/** One line per case (`PASS name (3.1s)`, `SKIP name: reason`), failures followed by their detail, indented. */
export function formatResult(r: CaseResult): string {
  const time = r.seconds !== undefined && r.verdict !== 'SKIP' ? ` (${r.seconds.toFixed(1)}s)` : '';
  if (r.verdict === 'SKIP') return `SKIP  ${r.name}: ${r.detail ?? ''}`;
  let out = `${r.verdict}  ${r.name}${time}`;
  if (r.verdict === 'FAIL') {
    if (r.detail) out += `\n${indent(r.detail)}`;
    if (r.note) out += `\n${indent(`local cluster: ${r.note}`)}`;
  }
  return out;
}

/** The closing line, alone on its line: `N passed, M failed`. */
export function summaryLine(results: readonly CaseResult[]): string {
  const passed = results.filter((r) => r.verdict === 'PASS').length;
  const failed = results.filter((r) => r.verdict === 'FAIL').length;
  return `${passed} passed, ${failed} failed`;
}

/**
 * The one-line reason a `go mod download -json` answer gives for a module it could not provide, or
 * undefined when it was downloaded. Go prints several lines (URL, server response); the first carries
 * the status, the server response says why.
 */
export function moduleDownloadError(json: string): string | undefined {
  let parsed: { Error?: string } | undefined;
  try {
    parsed = JSON.parse(json) as { Error?: string };
  } catch {
    const line = json.trim().split('\n')[0];
    return line ? line : 'go mod download gave no answer';
  }
  if (!parsed.Error) return undefined;
  return parsed.Error.split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ');
}
