/**
 * @module cli/main
 * `lwsctl`: one command for the local cluster, the controller, the operator and offline rendering.
 */
const [command] = process.argv.slice(2);
console.error(`lwsctl: unknown command ${command ?? ''}`);
process.exit(2);
