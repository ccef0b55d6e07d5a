/**
 * @module testing/kubectl
 * The real kubectl (built with the control plane) bound to one kubeconfig, for tests and the demo.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { binaryDir } from '../cluster/binaries.ts';

const run = promisify(execFile);

export interface Kubectl {
  /** Runs kubectl and returns stdout; rejects with stderr in the message on failure. */
  (...args: string[]): Promise<string>;
  /** Runs `kubectl … -o json` and parses the result. */
  json<T = unknown>(...args: string[]): Promise<T>;
  /** Pipes `input` to `kubectl … -f -`. */
  withInput(input: string, ...args: string[]): Promise<string>;
  /** `kubectl get … -o name`: true when found, false on NotFound, any other error thrown. */
  exists(...args: string[]): Promise<boolean>;
}

export function kubectlFor(kubeconfig: string): Kubectl {
  const binary = join(binaryDir(), 'kubectl');
  const exec = async (args: string[], input?: string): Promise<string> => {
    try {
      const child = run(binary, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 << 20 });
      if (input !== undefined) {
        child.child.stdin?.end(input);
      }
      return (await child).stdout;
    } catch (e) {
      const stderr = (e as { stderr?: string }).stderr?.trim();
      throw new Error(`kubectl ${args.join(' ')}: ${stderr || (e as Error).message}`, { cause: e });
    }
  };
  const kubectl = ((...args: string[]) => exec(args)) as Kubectl;
  kubectl.json = async <T>(...args: string[]) => JSON.parse(await exec([...args, '-o', 'json'])) as T;
  kubectl.withInput = (input: string, ...args: string[]) => exec(args, input);
  kubectl.exists = async (...args: string[]) => {
    try {
      await exec(['get', ...args, '-o', 'name']);
      return true;
    } catch (e) {
      if (/NotFound|not found/.test((e as Error).message)) return false;
      throw e;
    }
  };
  return kubectl;
}
