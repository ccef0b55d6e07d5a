import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import pkg from '../../../package.json' with { type: 'json' };
import { sampleOperator } from '../../operator/api/types.ts';
import { loadOperatorCRD } from '../../operator/api/crd.ts';
import { CHART_CRD_FILE, chartValues, renderChart, replaceSentinels, SENTINEL_MARK, SENTINELS } from './helm-chart.ts';
import { compileOperatorInstallOptions, renderOperatorInstall } from '../../operator/core/operator-install.ts';
import { operatorReleaseOptions } from './release.ts';
import { DASHBOARD_CONFIGMAP, dashboardJSON } from './monitoring.ts';

const chart = renderChart();
const templates = [...chart].filter(([path]) => path.startsWith('templates/') && path.endsWith('.yaml'));

/**
 * A tiny stand-in for Helm, enough for our templates: `{{ .Release.Namespace }}`, `{{ .Values.x | quote }}`,
 * `{{- toYaml .Values.x | nindent N }}` and the `createInstance` condition. The real helm renders the chart in
 * test/cluster/manifests.test.ts.
 */
function emulateHelm(template: string, values: Record<string, any>, namespace: string): string {
  let text = template;
  const cond = /^\{\{- if \.Values\.(\w+) \}\}\n([\s\S]*)\{\{- end \}\}\n$/.exec(text);
  if (cond) text = values[cond[1]!] ? cond[2]! : '';
  return text
    .replace(/\n *\{\{- toYaml \.Values\.(\w+) \| nindent (\d+) \}\}/g, (_, key: string, n: string) => {
      const yaml = stringify(values[key], { indentSeq: false }).trimEnd();
      return '\n' + yaml.replace(/^/gm, ' '.repeat(Number(n)));
    })
    .replace(/\{\{ \.Values\.(\w+) \| quote \}\}/g, (_, key: string) => JSON.stringify(values[key]))
    .replace(/\{\{ \.Release\.Namespace \}\}/g, namespace)
    .replace(/\{\{ \.Files\.Get "([^"]+)" \| indent (\d+) \}\}/g, (_, file: string, n: string) =>
      chart
        .get(file)!
        .replace(/^(?=.)/gm, ' '.repeat(Number(n)))
        .trimEnd(),
    );
}

describe('Helm chart charts/lws-operator', () => {
  test('the Grafana dashboard ConfigMap (on by default) carries dashboards/ verbatim', () => {
    const template = chart.get('templates/grafana-dashboard.yaml')!;
    const cm = parse(emulateHelm(template, chartValues(), 'helm-ns'), { version: '1.1' });
    assert.deepEqual(cm.metadata, {
      name: DASHBOARD_CONFIGMAP,
      namespace: 'helm-ns',
      labels: { grafana_dashboard: '1' },
    });
    assert.deepEqual(JSON.parse(cm.data['lws-controller-dashboard.json']), JSON.parse(dashboardJSON()));
    assert.equal(emulateHelm(template, { ...chartValues(), grafanaDashboard: false }, 'helm-ns'), '');
  });

  test('Chart.yaml: name, version and appVersion from package.json', () => {
    const meta = parse(chart.get('Chart.yaml')!);
    assert.equal(meta.apiVersion, 'v2');
    assert.equal(meta.name, 'lws-operator');
    assert.equal(meta.version, pkg.version);
    assert.equal(meta.appVersion, pkg.version);
    assert.equal(meta.type, 'application');
  });

  test('no template holds sentinel text, and every sentinel was used', () => {
    const all = [...chart.values()].join('\n');
    assert.ok(!all.includes(SENTINEL_MARK));
    for (const s of Object.values(SENTINELS)) assert.ok(all.includes(s.expression), s.expression);
  });

  test('crds/ holds the operator CRD; values.yaml holds the release defaults and the sample spec', () => {
    assert.deepEqual(parse(chart.get(CHART_CRD_FILE)!, { version: '1.1' }), loadOperatorCRD());
    const values = parse(chart.get('values.yaml')!, { version: '1.1' });
    assert.deepEqual(values, chartValues());
    const release = operatorReleaseOptions();
    assert.equal(values.image, release.image);
    assert.equal(values.operandImage, release.operandImage);
    assert.equal(values.createInstance, false);
    assert.deepEqual(values.instance, sampleOperator().spec);
  });

  test('the templates, rendered with the default values, are exactly the operator footprint', () => {
    const values = chartValues();
    const rendered = templates
      .map(([path, text]) => [path, emulateHelm(text, values, 'helm-ns')] as const)
      .filter(([, text]) => text.trim() !== '')
      .map(([, text]) => parse(text, { version: '1.1' }))
      .filter((o) => o.kind !== 'ConfigMap' || o.metadata.name !== DASHBOARD_CONFIGMAP);
    const expected = renderOperatorInstall(
      compileOperatorInstallOptions({ ...operatorReleaseOptions(), namespace: 'helm-ns' }),
    );
    // The chart adds the pod's nodeSelector and tolerations (empty by default).
    const deployment = rendered.find((o) => o.kind === 'Deployment');
    assert.deepEqual(deployment.spec.template.spec.nodeSelector, {});
    assert.deepEqual(deployment.spec.template.spec.tolerations, []);
    delete deployment.spec.template.spec.nodeSelector;
    delete deployment.spec.template.spec.tolerations;
    const key = (o: any) => `${o.kind}/${o.metadata.name}`;
    assert.deepEqual(
      [...rendered].sort((a, b) => key(a).localeCompare(key(b))),
      [...expected].sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  test('values reach the objects: images, pull policy, placement, resources, namespace, the instance', () => {
    const values = {
      ...chartValues(),
      image: 'registry.example/op:2',
      operandImage: 'registry.example/lws:2',
      imagePullPolicy: 'Always',
      nodeSelector: { role: 'infra' },
      tolerations: [{ key: 'infra', operator: 'Exists' }],
      resources: { requests: { cpu: '1' } },
      createInstance: true,
      instance: { managementState: 'Unmanaged' },
    };
    const get = (path: string) => parse(emulateHelm(chart.get(path)!, values, 'other'), { version: '1.1' });
    const pod = get('templates/deployment.yaml').spec.template.spec;
    const [c] = pod.containers;
    assert.equal(c.image, 'registry.example/op:2');
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.env.find((e: any) => e.name === 'RELATED_IMAGE_OPERAND_IMAGE').value, 'registry.example/lws:2');
    assert.deepEqual(c.resources, { requests: { cpu: '1' } });
    assert.deepEqual(pod.nodeSelector, { role: 'infra' });
    assert.deepEqual(pod.tolerations, [{ key: 'infra', operator: 'Exists' }]);
    assert.equal(get('templates/rolebinding.yaml').subjects[0].namespace, 'other');
    assert.equal(get('templates/clusterrolebinding.yaml').subjects[0].namespace, 'other');
    const instance = get('templates/instance.yaml');
    assert.equal(instance.metadata.name, 'cluster');
    assert.deepEqual(instance.spec, { managementState: 'Unmanaged' });
    assert.equal(emulateHelm(chart.get('templates/instance.yaml')!, { createInstance: false }, 'x'), '');
  });

  test('replaceSentinels: scalars, blocks under their key, and sentinel text anywhere else is an error', () => {
    const { image, resources } = SENTINELS;
    assert.equal(
      replaceSentinels(`a:\n  image: ${image.token}\n- ${image.token}`, 'f'),
      'a:\n  image: {{ .Values.image | quote }}\n- {{ .Values.image | quote }}',
    );
    assert.equal(
      replaceSentinels(`  resources: ${resources.token}`, 'f'),
      '  resources:\n    {{- toYaml .Values.resources | nindent 4 }}',
    );
    assert.throws(() => replaceSentinels(`name: x-${image.token}`, 'f.yaml'), /f\.yaml:1: sentinel text left/);
    assert.throws(() => replaceSentinels(`- ${resources.token}`, 'f.yaml'), /must be a mapping value/);
  });
});
