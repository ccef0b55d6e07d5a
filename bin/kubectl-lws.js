#!/usr/bin/env node
// Entry point of the `kubectl lws` plugin (kubectl runs `kubectl-lws` from PATH). Needs Node 24 LTS like lwsctl.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `kubectl-lws: Node ${process.versions.node} is too old; Node 24 LTS is required.\n` +
      'hint: run it through npm (npx kubectl-lws …) so the pinned Node from node_modules is used.',
  );
  process.exit(1);
}
const { run } = await import('../src/cli/kubectl-lws/main.ts');
await run(process.argv.slice(2));
