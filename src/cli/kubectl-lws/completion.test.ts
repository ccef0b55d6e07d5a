import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  completions,
  completionScript,
  DIRECTIVE_DEFAULT,
  DIRECTIVE_NO_FILES,
  type CompletionFlags,
} from './completion.ts';

test('completions follow the command line', async () => {
  const seen: CompletionFlags[] = [];
  const names = async (flags: CompletionFlags) => {
    seen.push(flags);
    return ['alpha', 'beta'];
  };
  const cases: Array<[string[], string[], number]> = [
    [[''], ['get', 'ds', 'rollout', 'restart', 'render', 'diff', 'completion'], DIRECTIVE_NO_FILES],
    [['r'], ['rollout', 'restart', 'render'], DIRECTIVE_NO_FILES],
    [['rollout', ''], ['status', 'history', 'undo'], DIRECTIVE_NO_FILES],
    [['rollout', 'status', 'a'], ['alpha'], DIRECTIVE_NO_FILES],
    [['rollout', 'status', 'alpha', ''], [], DIRECTIVE_NO_FILES],
    [['get', '-n', 'team', ''], ['alpha', 'beta'], DIRECTIVE_NO_FILES],
    [['get', '-o', ''], ['json', 'yaml', 'wide'], DIRECTIVE_NO_FILES],
    [['restart', '--g'], ['--group'], DIRECTIVE_NO_FILES],
    [['diff', '-f', ''], [], DIRECTIVE_DEFAULT],
    [['completion', ''], ['bash', 'zsh'], DIRECTIVE_NO_FILES],
  ];
  for (const [args, candidates, directive] of cases)
    assert.deepEqual(await completions(args, names), { candidates, directive }, args.join(' '));
  assert.deepEqual(seen[1], { namespace: 'team' }, 'the namespace flag selects where names come from');
});

test('completion scripts call __complete', () => {
  assert.match(completionScript('bash'), /complete -F _kubectl_lws kubectl-lws/);
  assert.match(completionScript('bash'), /kubectl-lws __complete/);
  assert.match(completionScript('zsh'), /^#compdef kubectl-lws/);
});
