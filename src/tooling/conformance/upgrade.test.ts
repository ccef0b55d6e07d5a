import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTROLLER_IMAGES, standInDeployment } from './host-controllers.ts';
import { UPGRADE_DIRECTIONS, directionResult, upgradeCaseName, type PhaseOutcome } from './upgrade.ts';
import type { GinkgoReport } from './suite.ts';

const LEAF = 'preserves existing workloads and reconciles new workloads';
const report = (state: string, message = ''): GinkgoReport => ({
  SpecReports: [
    {
      ContainerHierarchyTexts: ['Controller upgrade'],
      LeafNodeType: 'It',
      LeafNodeText: LEAF,
      State: state,
      RunTime: 2_000_000_000,
      ...(message ? { Failure: { Message: message, Location: { FileName: 'upgrade_test.go', LineNumber: 87 } } } : {}),
    },
  ],
});
const phase = (p: 'before' | 'after', r: GinkgoReport | undefined, exitCode = 0): PhaseOutcome => ({
  phase: p,
  report: r,
  exitCode,
  log: `/run/${p}.log`,
});

test('both directions, upstream first, each a named case of the upgrade package', () => {
  assert.deepStrictEqual(UPGRADE_DIRECTIONS, [
    ['upstream', 'lws-ts'],
    ['lws-ts', 'upstream'],
  ]);
  assert.match(upgradeCaseName('upstream', 'lws-ts'), /^\[sigs\.k8s\.io\/lws\/test\/e2e\/upgrade\] Controller upgrade/);
  assert.match(upgradeCaseName('upstream', 'lws-ts'), /upstream's manager v0\.10\.0 -> lws-ts/);
  assert.match(upgradeCaseName('lws-ts', 'upstream'), /lws-ts \(lwsctl controller\) -> upstream's manager/);
});

test('a direction passes only when both phases passed', () => {
  const ok = directionResult('d', [phase('before', report('passed')), phase('after', report('passed'))]);
  assert.equal(ok.verdict, 'PASS');
  assert.equal(ok.seconds, 4);
  const onlyBefore = directionResult('d', [phase('before', report('passed'))]);
  assert.equal(onlyBefore.verdict, 'FAIL');
  assert.match(onlyBefore.detail!, /only the phases \[before\] ran/);
});

test('a failing phase is named with its failure; a phase without a report is a failure', () => {
  const after = directionResult('d', [
    phase('before', report('passed')),
    phase('after', report('failed', 'Expected <upgradeSnapshot> to equal'), 1),
  ]);
  assert.equal(after.verdict, 'FAIL');
  assert.match(after.detail!, /^phase after: failed at upgrade_test.go:87: Expected <upgradeSnapshot>/);
  const crashed = directionResult('d', [phase('before', undefined, 2)]);
  assert.match(crashed.detail!, /^phase before: not run: the suite exited with 2 without reporting it/);
  const error = directionResult('d', [phase('before', report('passed'))], 'lws-ts exited before it was ready');
  assert.equal(error.detail, 'lws-ts exited before it was ready');
});

test("the stand-in Deployment has upstream's name, selector and container name, and says it is a stand-in", () => {
  const d = standInDeployment(CONTROLLER_IMAGES.upstream, 'upstream');
  assert.equal(d.metadata.name, 'lws-controller-manager');
  assert.equal(d.metadata.namespace, 'lws-system');
  assert.deepStrictEqual(d.spec.selector.matchLabels, { 'control-plane': 'controller-manager' });
  assert.deepStrictEqual(d.spec.template.spec.containers, [
    { name: 'manager', image: 'registry.k8s.io/lws/lws:v0.10.0' },
  ]);
  assert.match(d.metadata.annotations['lws-ts.dev/stand-in'], /host process/);
  assert.match(CONTROLLER_IMAGES['lws-ts'], /^lws-ts:v\d+\.\d+\.\d+/);
});
