import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { objectKey } from './operand.ts';
import { INSTALL_MANIFEST_FILE, RELEASE_IMAGE, releaseObjects, renderInstallManifest } from './release.ts';

describe('release manifests', () => {
  const committed = readFileSync(fileURLToPath(new URL(`../../${INSTALL_MANIFEST_FILE}`, import.meta.url)), 'utf8');

  test('dist/install.yaml is what npm run gen:manifests generates', () => {
    assert.ok(committed === renderInstallManifest(), `${INSTALL_MANIFEST_FILE} is stale: run npm run gen:manifests`);
  });

  test('dist/install.yaml holds the Namespace lws-system and every operand object, internal certificates', () => {
    const docs = parseAllDocuments(committed, { version: '1.1' }).map((d) => d.toJS());
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
});
