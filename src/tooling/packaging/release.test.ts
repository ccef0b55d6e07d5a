import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadOperatorCRD } from '../../operator/api/crd.ts';
import { objectKey } from '../../operator/core/operand.ts';
import { compileOperatorInstallOptions, renderOperatorInstall } from '../../operator/core/operator-install.ts';
import { checkGeneratedFiles, generatedFiles } from './packaging.ts';
import {
  INSTALL_MANIFEST_FILE,
  OPERATOR_MANIFEST_FILE,
  operatorReleaseObjects,
  operatorReleaseOptions,
  RELEASE_IMAGE,
  releaseObjects,
  renderInstallManifest,
} from './release.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');
const documents = (text: string) => parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());

describe('release manifests', () => {
  const committed = read(INSTALL_MANIFEST_FILE);

  test('every generated file (dist/, charts/lws-operator/, bundle/, bundle.Dockerfile) is what npm run gen:manifests generates', async () => {
    const problems = await checkGeneratedFiles(root);
    assert.deepEqual(problems, [], 'stale install files: run npm run gen:manifests');
    assert.ok(committed === renderInstallManifest());
    const files = [...generatedFiles().keys()];
    for (const f of [
      INSTALL_MANIFEST_FILE,
      OPERATOR_MANIFEST_FILE,
      'charts/lws-operator/Chart.yaml',
      'bundle.Dockerfile',
    ]) {
      assert.ok(files.includes(f), f);
    }
  });

  test('the check notices a stale, a missing and an extra file', async () => {
    const files = new Map(generatedFiles());
    files.set(INSTALL_MANIFEST_FILE, files.get(INSTALL_MANIFEST_FILE) + '# changed\n');
    files.set('bundle/manifests/missing.yaml', '');
    files.delete('charts/lws-operator/values.yaml');
    const problems = await checkGeneratedFiles(root, files);
    const injected = [INSTALL_MANIFEST_FILE, 'bundle/manifests/missing.yaml', 'charts/lws-operator/values.yaml'];
    assert.deepEqual(
      problems.filter((p) => injected.includes(p.file)),
      [
        { file: INSTALL_MANIFEST_FILE, problem: 'stale' },
        { file: 'bundle/manifests/missing.yaml', problem: 'missing' },
        { file: 'charts/lws-operator/values.yaml', problem: 'extra' },
      ],
    );
  });

  test('dist/install.yaml holds the Namespace lws-system and every operand object, internal certificates', () => {
    const docs = documents(committed);
    assert.deepEqual(
      docs.map((d) => objectKey(d)),
      releaseObjects().map(objectKey),
    );
    assert.equal(docs[0].kind, 'Namespace');
    assert.equal(docs[0].metadata.name, 'lws-system');
    assert.ok(!docs.some((d) => d.apiVersion.startsWith('cert-manager.io/')));
    assert.ok(!docs.some((d) => d.kind === 'ServiceMonitor'));
    const deployment = docs.find((d) => d.kind === 'Deployment');
    assert.equal(deployment.metadata.namespace, 'lws-system');
    assert.equal(deployment.spec.template.spec.containers[0].image, RELEASE_IMAGE);
    const config = docs.find((d) => d.kind === 'ConfigMap').data['controller_manager_config.yaml'];
    assert.match(config, /internalCertManagement:\n {2}enable: true/);
    for (const d of docs) {
      if (d.metadata.namespace !== undefined) assert.equal(d.metadata.namespace, 'lws-system', objectKey(d));
    }
  });

  test('dist/operator.yaml: the monitored Namespace openshift-lws-operator, the operator CRD, the operator footprint', () => {
    const docs = documents(read(OPERATOR_MANIFEST_FILE));
    assert.deepEqual(docs.map(objectKey), operatorReleaseObjects().map(objectKey));
    assert.equal(docs[0].kind, 'Namespace');
    assert.equal(docs[0].metadata.name, 'openshift-lws-operator');
    assert.equal(docs[0].metadata.labels['openshift.io/cluster-monitoring'], 'true');
    assert.deepEqual(docs[1], loadOperatorCRD());
    assert.deepEqual(docs.slice(2), renderOperatorInstall(compileOperatorInstallOptions(operatorReleaseOptions())));
    const deployment = docs.find((d) => d.kind === 'Deployment');
    assert.equal(deployment.spec.template.spec.containers[0].image, RELEASE_IMAGE);
  });
});
