// `kubectl lws` against the real control plane, run the way users run it: the real kubectl finds the
// `kubectl-lws` executable on PATH (a symlink to bin/kubectl-lws.js, as `npm install -g`/`npm link` make
// it, with the pinned Node from node_modules/.bin first on PATH).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { eventually } from '../../src/tooling/testing/wait.ts';
import { testKubeconfig, withNamespace } from '../../src/tooling/testing/cluster-fixture.ts';
import { defaultLws, withChange } from '../../src/tooling/testing/lws-builder.ts';
import { queries } from '../../src/tooling/testing/cluster-queries.ts';
import { binaryDir } from '../../src/tooling/cluster/binaries.ts';
import { revisionKey } from '../../src/lws/core/revision.ts';
import * as keys from '../../src/lws/api/keys.ts';
import type { LeaderWorkerSet } from '../../src/lws/api/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const READY_DELAY = 'pod-ready.stage.kwok.x-k8s.io/delay';
let pathDir: string;

before(() => {
  pathDir = mkdtempSync(join(tmpdir(), 'kubectl-lws-path-'));
  symlinkSync(join(ROOT, 'bin/kubectl-lws.js'), join(pathDir, 'kubectl-lws'));
  symlinkSync(join(ROOT, 'bin/kubectl_complete-lws.js'), join(pathDir, 'kubectl_complete-lws'));
});
after(() => rmSync(pathDir, { recursive: true, force: true }));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `kubectl lws ARGS…` through kubectl's plugin mechanism; never rejects, the exit code is in the result. */
function lws(...args: string[]): Promise<Result> {
  const env = {
    ...process.env,
    PATH: [pathDir, join(ROOT, 'node_modules/.bin'), process.env.PATH].join(':'),
    KUBECONFIG: testKubeconfig(),
  };
  return new Promise((done) => {
    const child = execFile(
      join(binaryDir(), 'kubectl'),
      ['lws', ...args],
      { env, maxBuffer: 16 << 20 },
      (e, stdout, stderr) => done({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

const ok = (r: Result): string => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}${r.stdout}`);
  return r.stdout;
};

function slowLws(ns: string, delay: string, image = 'nginxinc/nginx-unprivileged:1.27'): LeaderWorkerSet {
  return withChange(defaultLws(ns), (l) => {
    l.spec.leaderWorkerTemplate.leaderTemplate!.metadata = { annotations: { [READY_DELAY]: delay } };
    l.spec.leaderWorkerTemplate.workerTemplate.metadata = { annotations: { [READY_DELAY]: delay } };
    l.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.image = image;
  });
}

function fileOf(object: unknown): string {
  const path = join(pathDir, `lws-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, stringify(object));
  return path;
}

describe('kubectl lws', () => {
  test('get: a tree of groups through kubectl plugin discovery; list, json, errors', async () => {
    await withNamespace('klws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      const tree = await eventually(
        async () => {
          const r = JSON.parse(ok(await lws('get', 'test-sample', '-n', ns, '-o', 'json'))) as {
            readyGroups: number;
            currentRevision: string;
            groups: Array<{
              index: number;
              ready: boolean;
              current: boolean;
              pods: Array<{ name: string; role: string; node: string }>;
            }>;
          };
          assert.equal(r.readyGroups, 2);
          assert.ok(r.groups.every((g) => g.ready && g.current));
          return r;
        },
        { timeoutMs: 90_000, message: 'both groups ready' },
      );
      assert.equal(tree.currentRevision, revisionKey(await q.lws('test-sample')));
      assert.deepEqual(
        tree.groups.map((g) => g.pods.map((p) => `${p.role}:${p.name}`)),
        [
          ['leader:test-sample-0', 'worker:test-sample-0-1'],
          ['leader:test-sample-1', 'worker:test-sample-1-1'],
        ],
      );
      assert.ok(tree.groups.every((g) => g.pods.every((p) => p.node.startsWith('kwok-'))));

      const text = ok(await lws('get', 'test-sample', '-n', ns));
      assert.match(text, /^leaderworkerset\/test-sample {2}groups 2\/2 ready, 2\/2 updated/);
      assert.match(text, /├─group 0 +2\/2 +Ready +\S+ \(current\)/);
      assert.match(text, /│ {2}├─leader test-sample-0 +1\/1 +Running/);
      assert.match(ok(await lws('get', 'test-sample', '-n', ns, '-o', 'wide')), /IP/);
      assert.match(
        ok(await lws('get', '-n', ns)),
        /^NAME +GROUPS +READY +UPDATED +SIZE +REVISION +AGE\ntest-sample +2 +2\/2 +2\/2 +2 /,
      );
      assert.match(ok(await lws('get', '-A')), new RegExp(`${ns} +test-sample`));

      const missing = await lws('get', 'nope', '-n', ns);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^Error from server \(NotFound\): .*"nope" not found/);
      const badContext = await lws('get', '--context', 'nope');
      assert.equal(badContext.code, 1);
      assert.equal(badContext.stderr, 'error: context "nope" does not exist\n');
      const badOutput = await lws('get', '-o', 'table');
      assert.equal(badOutput.code, 1);
      assert.match(badOutput.stderr, /output format "table"/);
      assert.match(ok(await lws('get', '-n', `${ns}-empty`)), /^$/);
    });
  });

  test('diff, rollout status/history/undo on a rolling update', async () => {
    await withNamespace('klws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      const v1 = slowLws(ns, '1s');
      await q.create(v1);
      ok(await lws('rollout', 'status', 'test-sample', '-n', ns, '--timeout', '120s'));
      const k1 = revisionKey(await q.lws('test-sample'));

      // The same file: no differences (exit 0). A new image with slow readiness: a rolling update (exit 1).
      const same = await lws('diff', '-f', fileOf(v1));
      assert.equal(same.code, 0, same.stderr);
      assert.match(same.stdout, /no changes/);
      const v2 = slowLws(ns, '600s', 'nginxinc/nginx-unprivileged:1.28');
      const diff = await lws('diff', '-f', fileOf(v2));
      assert.equal(diff.code, 1, diff.stderr);
      assert.match(diff.stdout, new RegExp(`ROLLING UPDATE ${k1} → \\S+`));
      assert.match(
        diff.stdout,
        /workerTemplate\.spec\.containers\[0\]\.image: nginxinc\/nginx-unprivileged:1\.27 → nginxinc\/nginx-unprivileged:1\.28/,
      );
      assert.match(diff.stdout, /group 1: recreated by the rolling update/);
      const scale = await lws('diff', '-f', fileOf(withChange(v1, (l) => (l.spec.replicas = 3))));
      assert.equal(scale.code, 1);
      assert.match(scale.stdout, /no rolling update \(revision unchanged\)/);
      assert.match(scale.stdout, /group 2: created at/);

      await kubectl.withInput(JSON.stringify(v2), 'apply', '-f', '-');
      // Pods of the new revision never turn ready within the timeout: kubectl's timeout error and exit 1.
      const stuck = await lws('rollout', 'status', 'test-sample', '-n', ns, '--timeout', '3s');
      assert.equal(stuck.code, 1);
      assert.match(stuck.stdout, /Waiting for leaderworkerset "test-sample" rollout to finish/);
      assert.equal(stuck.stderr, 'error: timed out waiting for the condition\n');

      const history = await eventually(
        async () => {
          const h = JSON.parse(ok(await lws('rollout', 'history', 'test-sample', '-n', ns, '-o', 'json'))) as Array<{
            revision: number;
            key: string;
            current: boolean;
            changes: Array<{ path: string; from: unknown; to: unknown }>;
          }>;
          assert.equal(h.length, 2, 'two revisions during the rollout');
          return h;
        },
        { timeoutMs: 60_000, message: 'second revision recorded' },
      );
      assert.deepEqual(
        history.map((h) => [h.revision, h.key === k1, h.current]),
        [
          [1, true, false],
          [2, false, true],
        ],
      );
      assert.ok(history[1]!.changes.some((c) => c.path.endsWith('workerTemplate.spec.containers[0].image')));
      assert.match(ok(await lws('rollout', 'history', 'test-sample', '-n', ns)), /REVISION +KEY +GROUPS +AGE +CHANGES/);

      assert.equal(
        ok(await lws('rollout', 'undo', 'test-sample', '-n', ns)),
        'leaderworkerset.leaderworkerset.x-k8s.io/test-sample rolled back to revision 1\n',
      );
      const back = await q.lws('test-sample');
      assert.equal(
        back.spec.leaderWorkerTemplate.workerTemplate.spec!.containers[0]!.image,
        'nginxinc/nginx-unprivileged:1.27',
      );
      assert.equal(revisionKey(back), k1);
      const done = ok(await lws('rollout', 'status', 'test-sample', '-n', ns, '--timeout', '180s'));
      assert.match(done, /leaderworkerset "test-sample" successfully rolled out\n$/);
      for (const p of (await q.pods()).filter((x) => !x.metadata.deletionTimestamp))
        assert.equal(p.metadata.labels?.[keys.REVISION_KEY_LABEL], k1, p.metadata.name);
      const noMore = await lws('rollout', 'undo', 'test-sample', '-n', ns, '--to-revision', '9');
      assert.equal(noMore.code, 1);
      assert.equal(noMore.stderr, 'error: unable to find specified revision 9 in history\n');
    });
  });

  test('restart --group recreates one group (only with --yes when not on a terminal)', async () => {
    await withNamespace('klws', async (ns, kubectl) => {
      const q = queries(kubectl, ns);
      await q.create(defaultLws(ns));
      ok(await lws('rollout', 'status', 'test-sample', '-n', ns, '--timeout', '120s'));
      const uid = async (name: string) =>
        (await kubectl.json<{ metadata: { uid: string } }>('get', 'pod', name, '-n', ns)).metadata.uid;
      const [leader0, leader1, worker1] = [
        await uid('test-sample-0'),
        await uid('test-sample-1'),
        await uid('test-sample-1-1'),
      ];

      const refused = await lws('restart', 'test-sample', '--group', '1', '-n', ns);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /refusing to restart without confirmation.*--yes/);
      assert.equal(await uid('test-sample-1'), leader1, 'nothing deleted without confirmation');

      assert.match(
        ok(await lws('restart', 'test-sample', '--group', '1', '--yes', '-n', ns)),
        /pod\/test-sample-1 deleted/,
      );
      await eventually(
        async () => {
          assert.notEqual(await uid('test-sample-1'), leader1, 'leader recreated');
          assert.notEqual(await uid('test-sample-1-1'), worker1, 'worker recreated with its group');
          ok(await lws('rollout', 'status', 'test-sample', '-n', ns, '--watch=false'));
          assert.equal((await q.lws('test-sample')).status?.readyReplicas, 2);
        },
        { timeoutMs: 120_000, message: 'group 1 recreated and ready' },
      );
      assert.equal(await uid('test-sample-0'), leader0, 'group 0 untouched');
      const badGroup = await lws('restart', 'test-sample', '--group', '7', '--yes', '-n', ns);
      assert.equal(badGroup.code, 1);
      assert.equal(badGroup.stderr, 'error: leaderworkerset "test-sample" has no leader pod for group 7\n');
    });
  });

  test('ds: a DisaggregatedSet with its roles and each child LeaderWorkerSet as a group tree', async () => {
    await withNamespace('klws', async (ns, kubectl) => {
      const example = readFileSync(join(ROOT, 'examples/disaggregatedset.yaml'), 'utf8').replace(
        'namespace: my-namespace',
        `namespace: ${ns}`,
      );
      await kubectl.withInput(example, 'apply', '-f', '-');
      const view = await eventually(
        async () => {
          const v = JSON.parse(ok(await lws('ds', 'my-llm', '-n', ns, '-o', 'json'))) as {
            roles: Array<{ name: string; replicas: number; ready: number }>;
            children: Array<{ role: string; revision: string; tree: { readyGroups: number; groups: unknown[] } }>;
          };
          assert.deepEqual(
            v.roles.map((r) => [r.name, r.replicas, r.ready]),
            [
              ['prefill', 2, 2],
              ['decode', 1, 1],
            ],
          );
          assert.deepEqual(
            v.children.map((c) => [c.role, c.tree.readyGroups]),
            [
              ['decode', 1],
              ['prefill', 2],
            ],
          );
          return v;
        },
        { timeoutMs: 120_000, message: 'DisaggregatedSet ready' },
      );
      assert.equal(view.children[0]!.revision, view.children[1]!.revision, 'both roles at one DS revision');
      const text = ok(await lws('ds', '-n', ns, 'my-llm'));
      assert.match(text, /^disaggregatedset\/my-llm {2}slices 1 /);
      assert.match(
        text,
        /# role prefill, slice 0, revision \S+\nleaderworkerset\/my-llm-0-\S+-prefill {2}groups 2\/2 ready/,
      );
      assert.match(text, /│ {2}└─worker 1 my-llm-0-\S+-prefill-0-1 +1\/1 +Running/);
    });
  });

  test('completion through kubectl (kubectl_complete-lws) and the bash script', async () => {
    await withNamespace('klws', async (ns, kubectl) => {
      await queries(kubectl, ns).create(defaultLws(ns));
      const env = {
        ...process.env,
        PATH: [pathDir, join(ROOT, 'node_modules/.bin'), process.env.PATH].join(':'),
        KUBECONFIG: testKubeconfig(),
      };
      const complete = (...args: string[]) =>
        new Promise<string>((done, fail) =>
          execFile(join(binaryDir(), 'kubectl'), ['__complete', 'lws', ...args], { env }, (e, stdout) =>
            e ? fail(e) : done(stdout),
          ),
        );
      assert.match(await complete('rollout', ''), /^status\nhistory\nundo\n:4\n/);
      assert.match(await complete('get', '-n', ns, 'test-'), /^test-sample\n:4\n/);
      assert.match(ok(await lws('completion', 'bash')), /complete -F _kubectl_lws kubectl-lws/);
    });
  });
});
