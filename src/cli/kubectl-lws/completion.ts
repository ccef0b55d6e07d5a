/**
 * @module cli/kubectl-lws/completion
 * Shell completion of `kubectl lws`, in cobra's protocol so kubectl itself can use it: `__complete ARGS… WORD`
 * prints one candidate a line, then `:<directive>` (4 = no file completion, 0 = default/files). The bash
 * and zsh scripts call it; kubectl ≥ 1.26 calls the `kubectl_complete-lws` executable the same way.
 */

/** cobra.ShellCompDirectiveDefault (the shell may complete file names). */
export const DIRECTIVE_DEFAULT = 0;
/** cobra.ShellCompDirectiveNoFileComp. */
export const DIRECTIVE_NO_FILES = 4;

const SUBCOMMANDS = ['get', 'ds', 'rollout', 'restart', 'render', 'diff', 'completion'];
const ROLLOUT = ['status', 'history', 'undo'];
const COMMON_FLAGS = ['--namespace', '--context', '--kubeconfig', '--output'];
const FLAGS: Record<string, string[]> = {
  get: ['--all-namespaces', ...COMMON_FLAGS],
  ds: ['--all-namespaces', ...COMMON_FLAGS],
  'rollout status': ['--timeout', '--watch', ...COMMON_FLAGS],
  'rollout history': ['--revision', ...COMMON_FLAGS],
  'rollout undo': ['--to-revision', '--dry-run', ...COMMON_FLAGS],
  restart: ['--group', '--yes', ...COMMON_FLAGS],
  render: ['--filename', ...COMMON_FLAGS],
  diff: ['--filename', ...COMMON_FLAGS],
};
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '-o',
  '--output',
  '--timeout',
  '--revision',
  '--to-revision',
  '--group',
  '-f',
  '--filename',
]);
const OUTPUTS = ['json', 'yaml', 'wide'];
/** Commands whose positional argument is a LeaderWorkerSet name. */
const TAKES_NAME = new Set(['get', 'rollout status', 'rollout history', 'rollout undo', 'restart']);

export interface CompletionFlags {
  namespace?: string;
  context?: string;
  kubeconfig?: string;
}

/**
 * Candidates for the last word of `args` (the word being completed, possibly ""); `names` lists the
 * LeaderWorkerSets of the namespace/context the earlier words select.
 */
export async function completions(
  args: readonly string[],
  names: (flags: CompletionFlags) => Promise<string[]>,
): Promise<{ candidates: string[]; directive: number }> {
  const word = args.at(-1) ?? '';
  const before = args.slice(0, -1);
  const flags: CompletionFlags = {};
  const positionals: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const a = before[i]!;
    if (VALUE_FLAGS.has(a)) {
      const v = before[++i];
      if (a === '-n' || a === '--namespace') flags.namespace = v;
      if (a === '--context') flags.context = v;
      if (a === '--kubeconfig') flags.kubeconfig = v;
    } else if (a.startsWith('--') && a.includes('=')) {
      const [k, v] = [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)];
      if (k === '--namespace') flags.namespace = v;
      if (k === '--context') flags.context = v;
      if (k === '--kubeconfig') flags.kubeconfig = v;
    } else if (!a.startsWith('-')) positionals.push(a);
  }
  const prev = before.at(-1);
  const filter = (xs: string[]) => ({
    candidates: xs.filter((x) => x.startsWith(word)),
    directive: DIRECTIVE_NO_FILES,
  });
  if (prev === '-f' || prev === '--filename' || prev === '--kubeconfig')
    return { candidates: [], directive: DIRECTIVE_DEFAULT };
  if (prev === '-o' || prev === '--output') return filter(OUTPUTS);
  if (prev !== undefined && VALUE_FLAGS.has(prev)) return { candidates: [], directive: DIRECTIVE_NO_FILES };
  const [sub, second] = positionals;
  if (sub === undefined) return filter(SUBCOMMANDS);
  if (sub === 'completion') return filter(positionals.length === 1 ? ['bash', 'zsh'] : []);
  if (sub === 'rollout' && second === undefined) return filter(ROLLOUT);
  const command = sub === 'rollout' ? `rollout ${second}` : sub;
  if (word.startsWith('-')) return filter(FLAGS[command] ?? COMMON_FLAGS);
  const nameIndex = sub === 'rollout' ? 2 : 1;
  if (TAKES_NAME.has(command) && positionals.length === nameIndex) return filter(await names(flags));
  return { candidates: [], directive: DIRECTIVE_NO_FILES };
}

export function completionScript(shell: 'bash' | 'zsh'): string {
  if (shell === 'bash')
    return `# bash completion for kubectl-lws; load with: source <(kubectl-lws completion bash)
_kubectl_lws() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" out directive
  out=$(kubectl-lws __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return
  directive=\${out##*:}
  out=\${out%:*}
  if [[ -z "\${out//[[:space:]]/}" && $((directive & 4)) -eq 0 ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$out" -- "$cur"))
  fi
}
complete -F _kubectl_lws kubectl-lws
`;
  return `#compdef kubectl-lws
# zsh completion for kubectl-lws; load with: source <(kubectl-lws completion zsh)
_kubectl_lws() {
  local out directive
  out=$(kubectl-lws __complete "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null) || return
  directive=\${out##*:}
  out=\${out%:*}
  if [[ -z "\${out//[[:space:]]/}" ]] && (( (directive & 4) == 0 )); then
    _files
  else
    compadd -- \${(f)out}
  fi
}
compdef _kubectl_lws kubectl-lws
`;
}
