/**
 * @module config/go-flags
 * A command line parsed the way Go's `flag` package parses upstream's: `-name` or `--name`, `=value` or the
 * next argument (booleans only with `=`), parsing stops at the first non-flag argument or `--`. It also
 * reports which flags were passed explicitly, because upstream lets only those override the config file
 * (`flag.Visit`).
 */
import { FlagError } from './errors.ts';
import { DurationError, formatGoDuration, parseGoDuration } from './duration.ts';

export type FlagType = 'bool' | 'string' | 'int' | 'float' | 'duration';
type ValueOf<T extends FlagType> = T extends 'bool' ? boolean : T extends 'string' ? string : number;

export interface FlagSpec<T extends FlagType = FlagType> {
  type: T;
  default: ValueOf<T>;
  usage: string;
  /** Checks a parsed value; returns an error text for Go's "invalid value" message. */
  check?: (value: ValueOf<T>) => string | undefined;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type FlagValues<S extends FlagSpecs> = { [K in keyof S]: ValueOf<S[K]['type']> };

export interface ParsedFlags<S extends FlagSpecs> {
  values: FlagValues<S>;
  /** Names of the flags given on the command line. */
  set: ReadonlySet<keyof S & string>;
  /** Arguments after the flags. */
  args: string[];
}

function parseBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

function parseValue(spec: FlagSpec, text: string): { value?: unknown; error?: string } {
  switch (spec.type) {
    case 'bool': {
      const value = parseBool(text);
      return value === undefined ? { error: 'parse error' } : { value };
    }
    case 'string':
      return { value: text };
    case 'int': {
      // strconv.ParseInt(s, 0, 64): decimal, 0x hex, 0o/0 octal, 0b binary, underscores between digits.
      const clean = text.replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, '');
      const m = /^([+-]?)(0x[0-9a-f]+|0o[0-7]+|0b[01]+|0[0-7]*|[1-9][0-9]*)$/i.exec(clean);
      if (!m) return { error: 'parse error' };
      const body = m[2]!;
      const n = /^0[0-7]+$/.test(body) ? parseInt(body, 8) : Number(body);
      return { value: m[1] === '-' ? -n : n };
    }
    case 'float': {
      const value = Number(text);
      return text.trim() === '' || Number.isNaN(value) ? { error: 'parse error' } : { value };
    }
    case 'duration':
      try {
        return { value: parseGoDuration(text) };
      } catch (e) {
        if (e instanceof DurationError) return { error: 'parse error' };
        throw e;
      }
  }
}

export function parseGoFlags<S extends FlagSpecs>(argv: readonly string[], specs: S): ParsedFlags<S> {
  const values = Object.fromEntries(Object.entries(specs).map(([k, s]) => [k, s.default])) as FlagValues<S>;
  const set = new Set<keyof S & string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') break;
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) throw new FlagError(`bad flag syntax: ${arg}`);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = specs[name];
    if (!spec) throw new FlagError(`flag provided but not defined: -${name}`);
    let text: string;
    if (eq >= 0) text = body.slice(eq + 1);
    else if (spec.type === 'bool') text = 'true';
    else {
      if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: -${name}`);
      text = argv[++i]!;
    }
    const { value, error } = parseValue(spec, text);
    const problem = error ?? (spec.check as ((v: unknown) => string | undefined) | undefined)?.(value);
    if (problem !== undefined)
      throw new FlagError(`invalid value ${JSON.stringify(text)} for flag -${name}: ${problem}`);
    (values as Record<string, unknown>)[name] = value;
    set.add(name as keyof S & string);
  }
  return { values, set, args: argv.slice(i) };
}

/** Go's `flag.PrintDefaults` layout, for `--help`. */
export function flagUsage(specs: FlagSpecs): string {
  const lines: string[] = [];
  for (const [name, spec] of Object.entries(specs).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  -${name}${spec.type === 'bool' ? '' : ` ${spec.type}`}`);
    lines.push(`    \t${spec.usage}${defaultText(spec)}`);
  }
  return lines.join('\n') + '\n';
}

function defaultText(spec: FlagSpec): string {
  const value = spec.default;
  if (value === false || value === '' || value === 0) return '';
  if (spec.type === 'duration') return ` (default ${formatGoDuration(value as number)})`;
  if (spec.type === 'string') return ` (default ${JSON.stringify(value)})`;
  return ` (default ${String(value)})`;
}
