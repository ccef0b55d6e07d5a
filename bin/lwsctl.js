#!/usr/bin/env node
// Entry point of the `lwsctl` command. The product runs on Node 24 LTS (pinned in devDependencies);
// refuse older runtimes with a hint instead of failing later on missing language features.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `lwsctl: Node ${process.versions.node} is too old; Node 24 LTS is required.\n` +
      'hint: run it through npm (npx lwsctl … or npm run lwsctl -- …) so the pinned Node from node_modules is used.',
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
