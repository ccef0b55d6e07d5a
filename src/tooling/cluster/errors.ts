/**
 * @module cluster/errors
 * Failures of the local control plane, each with a one-line message and a hint of what to do.
 */
export class ClusterError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'ClusterError';
    this.hint = hint;
  }
}
