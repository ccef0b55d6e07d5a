/**
 * @module cli/render-command
 * `lwsctl render -f FILE`: every object the controllers and webhooks would produce for a LeaderWorkerSet or a
 * DisaggregatedSet (its child LeaderWorkerSets, RoleScalers, Services, and each child's objects), as YAML,
 * computed offline with the controllers' own functions.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import type { LeaderWorkerSet } from '../lws/api/types.ts';
import { render, RenderError } from '../lws/render/render.ts';
import type { DisaggregatedSet } from '../disaggregatedset/api/types.ts';
import { renderDisaggregatedSet } from '../disaggregatedset/render/render.ts';
import { UsageError } from '../k8s/go/errors.ts';

export async function renderCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { filename: { type: 'string', short: 'f' } } });
  if (!values.filename) throw new UsageError('usage: lwsctl render -f FILE   (FILE may be - for standard input)');
  const text =
    values.filename === '-'
      ? await readStdin()
      : await readFile(values.filename, 'utf8').catch(() => {
          throw new UsageError(`-f: cannot read ${values.filename}`);
        });
  const docs = parseAllDocuments(text);
  const out: string[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) throw new UsageError(`${values.filename}: invalid YAML: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as LeaderWorkerSet | null;
    if (!object) continue;
    try {
      if ((object as { kind?: string }).kind === 'DisaggregatedSet') {
        const ds = renderDisaggregatedSet(object as unknown as DisaggregatedSet);
        const m = ds.disaggregatedSet.metadata;
        out.push(`# DisaggregatedSet ${m.namespace}/${m.name}: revision ${ds.revision}\n`);
        for (const w of ds.warnings) out.push(`# Warning: ${w}\n`);
        for (const o of ds.objects)
          out.push(`---\n# ${o.kind} ${o.metadata.name}\n${stringify(o, { version: '1.1' })}`);
        for (const child of ds.children) {
          const l = child.leaderWorkerSet.metadata;
          out.push(`# LeaderWorkerSet ${l.namespace}/${l.name}: revision key ${child.revisionKey}\n`);
          for (const o of child.objects)
            out.push(`---\n# ${o.kind} ${o.metadata.name}\n${stringify(o, { version: '1.1' })}`);
        }
        continue;
      }
      const result = render(object);
      out.push(
        `# LeaderWorkerSet ${result.leaderWorkerSet.metadata.namespace}/${result.leaderWorkerSet.metadata.name}: revision key ${result.revisionKey}\n`,
      );
      for (const o of result.objects)
        out.push(`---\n# ${o.kind} ${o.metadata.name}\n${stringify(o, { version: '1.1' })}`);
    } catch (e) {
      if (e instanceof RenderError) {
        console.error(`lwsctl: ${values.filename}: ${e.message}`);
        return 1;
      }
      throw e;
    }
  }
  process.stdout.write(out.join(''));
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
