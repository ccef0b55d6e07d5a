// Container settings and RBAC shape in every install path (docs/security.md): the operand in both certificate
// modes (with and without gang scheduling), the operator's own install, and every generated file (dist/*.yaml,
// the OLM bundle's CSV, the Helm chart's Deployment template). Non-root, seccomp RuntimeDefault, no privilege
// escalation, read-only root filesystem, every capability dropped; no wildcard in any RBAC rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { CERTIFICATE_MODES, compileOperandOptions, renderOperand } from '../../operator/core/operand.ts';
import { compileOperatorInstallOptions, renderOperatorInstall } from '../../operator/core/operator-install.ts';
import { generatedFiles } from './packaging.ts';

type Obj = Record<string, any>;

function assertHardenedPod(spec: Obj, where: string): void {
  assert.equal(spec.securityContext?.runAsNonRoot, true, `${where}: runAsNonRoot`);
  assert.equal(spec.securityContext?.seccompProfile?.type, 'RuntimeDefault', `${where}: seccomp RuntimeDefault`);
  assert.ok(!spec.hostNetwork && !spec.hostPID && !spec.hostIPC, `${where}: no host namespaces`);
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    assert.equal(sc.allowPrivilegeEscalation, false, `${where}/${c.name}: allowPrivilegeEscalation false`);
    assert.equal(sc.readOnlyRootFilesystem, true, `${where}/${c.name}: readOnlyRootFilesystem`);
    assert.deepEqual(sc.capabilities, { drop: ['ALL'] }, `${where}/${c.name}: every capability dropped, none added`);
    assert.ok(!sc.privileged, `${where}/${c.name}: not privileged`);
  }
}

function assertNoWildcards(rules: Obj[], where: string): void {
  for (const r of rules) {
    for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) {
      assert.ok(!(r[field] ?? []).includes('*'), `${where}: no wildcard in ${field} of ${JSON.stringify(r)}`);
    }
    assert.ok(!(r.verbs ?? []).some((v: string) => ['escalate', 'bind', 'impersonate'].includes(v)), where);
  }
}

function check(objects: Obj[], where: string): number {
  let pods = 0;
  for (const o of objects) {
    if (o.kind === 'Deployment') {
      assertHardenedPod(o.spec.template.spec, `${where} ${o.metadata.name}`);
      pods++;
    }
    if (o.kind === 'ClusterServiceVersion') {
      for (const d of o.spec.install.spec.deployments) {
        assertHardenedPod(d.spec.template.spec, `${where} CSV ${d.name}`);
        pods++;
      }
      for (const p of [...(o.spec.install.spec.clusterPermissions ?? []), ...(o.spec.install.spec.permissions ?? [])]) {
        assertNoWildcards(p.rules, `${where} CSV`);
      }
    }
    if (o.kind === 'ClusterRole' || o.kind === 'Role') assertNoWildcards(o.rules ?? [], `${where} ${o.metadata.name}`);
  }
  return pods;
}

test('the operand: hardened controller pod and no wildcard rules, in every certificate mode', () => {
  for (const certificates of CERTIFICATE_MODES) {
    for (const gangScheduling of [undefined, 'volcano'] as const) {
      const objects = renderOperand(
        compileOperandOptions({
          image: 'x',
          certificates,
          serviceMonitor: true,
          ...(gangScheduling ? { gangScheduling } : {}),
        }),
      );
      assert.equal(check(objects as Obj[], `operand(${certificates}, ${gangScheduling ?? 'no gang'})`), 1);
    }
  }
});

test("the operator's own install: hardened pod, no wildcard rules", () => {
  const objects = renderOperatorInstall(compileOperatorInstallOptions({ image: 'op', operandImage: 'x' }));
  assert.equal(check(objects as Obj[], 'operator install'), 1);
});

test('every generated install file (dist, OLM bundle, Helm chart)', () => {
  let pods = 0;
  for (const [file, text] of generatedFiles()) {
    if (!/\.ya?ml$/.test(file)) continue;
    if (file.startsWith('charts/')) {
      // Go templates: check the Deployment template's text.
      if (!/kind: Deployment/.test(text)) continue;
      for (const needle of [
        /runAsNonRoot: true/,
        /type: RuntimeDefault/,
        /allowPrivilegeEscalation: false/,
        /readOnlyRootFilesystem: true/,
        /drop:\s*\n\s*- ALL/,
      ]) {
        assert.match(text, needle, `${file}: ${needle}`);
      }
      pods++;
      continue;
    }
    const objects = parseAllDocuments(text)
      .map((d) => d.toJS() as Obj)
      .filter(Boolean);
    pods += check(objects, file);
  }
  assert.ok(pods >= 4, `found ${pods} pod templates across the install files`);
});
