import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  caseResults,
  formatResult,
  moduleDownloadError,
  packageSkips,
  skipPattern,
  specNames,
  summaryLine,
  type GinkgoReport,
  type GinkgoSpecReport,
} from './suite.ts';

const E2E = 'leaderWorkerSet e2e tests';
const GANG = ['leaderWorkerSet e2e gang scheduling tests', 'with volcano gang scheduling enabled'];

const spec = (
  texts: string[],
  leaf: string,
  state: string,
  extra: Partial<GinkgoSpecReport> = {},
): GinkgoSpecReport => ({
  ContainerHierarchyTexts: texts,
  LeafNodeType: 'It',
  LeafNodeText: leaf,
  State: state,
  RunTime: 3_177_531_023,
  ...extra,
});

const suiteSetup = (state: string, message = ''): GinkgoSpecReport => ({
  ContainerHierarchyTexts: null,
  LeafNodeType: 'BeforeSuite',
  LeafNodeText: '',
  State: state,
  Failure: state === 'passed' ? undefined : { Message: message, FailureNodeType: 'BeforeSuite' },
});

test('the skip expression names the metrics case only (the gang cases run against Volcano)', () => {
  const re = new RegExp(skipPattern());
  assert.equal(skipPattern(), 'metrics endpoint');
  assert.ok(re.test(`${E2E} should ensure the metrics endpoint is serving metrics`));
  assert.ok(!re.test(`${GANG.join(' ')} Should clean up PodGroups when LWS is deleted`));
  assert.ok(!re.test(`${E2E} Can perform a rolling update with maxSurge set`));
  assert.ok(!re.test(`${E2E} Pod restart will delete the pod group when restart policy is RecreateGroupOnPodRestart`));
});

test('passed, skipped by rule and failed cases, in report order', () => {
  const report: GinkgoReport = {
    SpecReports: [
      suiteSetup('passed'),
      spec([E2E], 'Can delete a lws with foreground', 'passed'),
      spec([E2E], 'Can perform a rolling update with maxSurge set', 'failed', {
        Failure: {
          Message: 'Timed out after 120.001s.\nExpected\n    <int32>: 4\nto equal\n    <int32>: 7',
          Location: { FileName: 'sigs.k8s.io/lws@v0.10.0/test/testutils/validators.go', LineNumber: 196 },
          FailureNodeType: 'It',
        },
      }),
      spec([E2E], 'should ensure the metrics endpoint is serving metrics', 'skipped'),
      spec(GANG, 'Should clean up PodGroups when LWS is deleted', 'passed'),
      spec([E2E], 'Can perform a rolling update even if old lws not ready', 'passed'),
    ],
  };
  const results = caseResults(report);
  assert.deepStrictEqual(
    results.map((r) => [r.verdict, r.name]),
    [
      ['PASS', `${E2E} Can delete a lws with foreground`],
      ['FAIL', `${E2E} Can perform a rolling update with maxSurge set`],
      ['SKIP', `${E2E} should ensure the metrics endpoint is serving metrics`],
      ['PASS', `${GANG.join(' ')} Should clean up PodGroups when LWS is deleted`],
      ['PASS', `${E2E} Can perform a rolling update even if old lws not ready`],
    ],
  );
  assert.equal(formatResult(results[0]!), `PASS  ${E2E} Can delete a lws with foreground (3.2s)`);
  const failure = formatResult(results[1]!).split('\n');
  assert.equal(failure[0], `FAIL  ${E2E} Can perform a rolling update with maxSurge set (3.2s)`);
  assert.equal(
    failure[1],
    '      failed at sigs.k8s.io/lws@v0.10.0/test/testutils/validators.go:196: Timed out after 120.001s.',
  );
  // A failure in a case that watches a transient state says what the local cluster contributes.
  assert.match(failure.at(-1)!, /^ {6}local cluster: watches a transient surge state/);
  assert.match(formatResult(results[2]!), /^SKIP {2}.* metrics endpoint is serving metrics: execs kubectl/);
  assert.equal(results[4]!.note, undefined);
  assert.equal(formatResult(results[4]!), `PASS  ${E2E} Can perform a rolling update even if old lws not ready (3.2s)`);
  assert.equal(summaryLine(results), '3 passed, 1 failed');
});

test('a failed BeforeSuite turns every case it kept from running into a failure', () => {
  const report: GinkgoReport = {
    SpecReports: [
      suiteSetup('failed', 'Timed out after 120s: admission webhook "mleaderworkerset.kb.io" denied the request'),
      spec([E2E], 'Can delete a lws with foreground', 'skipped'),
      spec([E2E], 'should ensure the metrics endpoint is serving metrics', 'skipped'),
    ],
  };
  const results = caseResults(report);
  assert.deepStrictEqual(
    results.map((r) => r.verdict),
    ['FAIL', 'SKIP'],
  );
  assert.match(results[0]!.detail!, /^not run: the suite's BeforeSuite failed \(failed in BeforeSuite: Timed out/);
  assert.equal(summaryLine(results), '0 passed, 1 failed');
});

test('cases an interruption kept from running fail as not run, without a time or a local-cluster note', () => {
  const report: GinkgoReport = {
    SpecialSuiteFailureReasons: ['Interrupted by User'],
    SpecReports: [
      spec([E2E], 'Can delete a lws with foreground', 'interrupted', {
        Failure: { Message: 'Interrupted by User', FailureNodeType: 'It' },
      }),
      spec([E2E], 'Can perform a rolling update with maxSurge set', 'skipped', { RunTime: 0 }),
    ],
  };
  const results = caseResults(report);
  assert.equal(results[0]!.detail, 'interrupted: Interrupted by User');
  assert.deepStrictEqual(formatResult(results[1]!).split('\n'), [
    `FAIL  ${E2E} Can perform a rolling update with maxSurge set`,
    '      not run: Interrupted by User',
  ]);
});

test('cases missing from the report (the suite died) count as failures; focus narrows what is expected', () => {
  const expected = [
    `${E2E} Can delete a lws with foreground`,
    `${E2E} Can perform a rolling update`,
    `${E2E} should ensure the metrics endpoint is serving metrics`,
  ];
  const died = caseResults(undefined, { expected, missingReason: 'not run: the suite exited with 2' });
  assert.deepStrictEqual(
    died.map((r) => [r.verdict, r.detail?.slice(0, 12)]),
    [
      ['FAIL', 'not run: the'],
      ['FAIL', 'not run: the'],
      ['SKIP', 'execs kubect'],
    ],
  );
  const focused = caseResults(
    { SpecReports: [spec([E2E], 'Can delete a lws with foreground', 'passed')] },
    { expected, focus: 'foreground' },
  );
  assert.deepStrictEqual(
    focused.map((r) => r.verdict),
    ['PASS', 'SKIP', 'SKIP'],
  );
  assert.equal(focused[1]!.detail, 'not selected by --focus foreground');
  // ginkgo reports unfocused cases as skipped: they are skips, not failures.
  const reported = caseResults(
    { SpecReports: [spec([E2E], 'Can perform a rolling update', 'skipped')] },
    { focus: 'x' },
  );
  assert.equal(reported[0]!.verdict, 'SKIP');
});

test('every upstream e2e package is built and run: no package is listed as skipped', () => {
  assert.deepStrictEqual(packageSkips(), []);
  assert.equal(summaryLine(packageSkips()), '0 passed, 0 failed');
});

test('specNames lists the Its of a dry run', () => {
  assert.deepStrictEqual(specNames({ SpecReports: [suiteSetup('passed'), spec(GANG, 'Should clean up', 'passed')] }), [
    `${GANG.join(' ')} Should clean up`,
  ]);
});

test('moduleDownloadError gives go mod download -json failures on one line', () => {
  const refused = JSON.stringify({
    Path: 'sigs.k8s.io/lws',
    Version: 'v0.10.0',
    Error:
      'sigs.k8s.io/lws@v0.10.0: reading https://proxy.golang.org/sigs.k8s.io/lws/@v/v0.10.0.zip: 403 Forbidden\n\tserver response: This module version is not available.',
  });
  assert.equal(
    moduleDownloadError(refused),
    'sigs.k8s.io/lws@v0.10.0: reading https://proxy.golang.org/sigs.k8s.io/lws/@v/v0.10.0.zip: 403 Forbidden; server response: This module version is not available.',
  );
  assert.equal(moduleDownloadError(JSON.stringify({ Path: 'sigs.k8s.io/lws', Dir: '/x' })), undefined);
  assert.equal(moduleDownloadError('go: cannot find main module\nmore'), 'go: cannot find main module');
});
