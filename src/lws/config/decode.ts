/**
 * @module config/decode
 * Strict decoding of a Configuration file, as upstream's `serializer.EnableStrict` codec does: YAML (1.1, like
 * sigs.k8s.io/yaml) or JSON, apiVersion/kind checked, unknown and duplicate fields rejected, every value
 * type-checked. All problems are reported at once, each naming its field.
 */
import { parseDocument } from 'yaml';
import { CONFIG_GROUP_VERSION, CONFIG_KIND, type Configuration } from './configuration.ts';
import { DurationError, parseGoDuration } from '../../k8s/go/duration.ts';

type Scalar = 'bool' | 'int' | 'int32' | 'float' | 'string' | 'duration' | 'strings';
interface ObjectSchema {
  [jsonName: string]: Scalar | ObjectSchema | { type: Scalar; as: string };
}

const schema: ObjectSchema = {
  apiVersion: 'string',
  kind: 'string',
  webhook: { port: 'int', host: 'string', certDir: 'string' },
  leaderElection: {
    leaderElect: 'bool',
    leaseDuration: { type: 'duration', as: 'leaseDurationMs' },
    renewDeadline: { type: 'duration', as: 'renewDeadlineMs' },
    retryPeriod: { type: 'duration', as: 'retryPeriodMs' },
    resourceLock: 'string',
    resourceName: 'string',
    resourceNamespace: 'string',
  },
  metrics: { bindAddress: 'string' },
  health: { healthProbeBindAddress: 'string', readinessEndpointName: 'string', livenessEndpointName: 'string' },
  tls: { minVersion: 'string', cipherSuites: 'strings' },
  internalCertManagement: { enable: 'bool', webhookServiceName: 'string', webhookSecretName: 'string' },
  gangSchedulingManagement: { schedulerProvider: 'string' },
  clientConnection: { qps: 'float', burst: 'int32' },
};

const show = (v: unknown) => JSON.stringify(v);

function decodeScalar(type: Scalar, value: unknown, path: string, problems: string[]): unknown {
  const bad = (expected: string) => {
    problems.push(`${path}: Invalid value: ${show(value)}: must be ${expected}`);
    return undefined;
  };
  switch (type) {
    case 'bool':
      return typeof value === 'boolean' ? value : bad('true or false');
    case 'string':
      return typeof value === 'string' ? value : bad('a string');
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? value : bad('a number');
    case 'int':
    case 'int32': {
      const limit = type === 'int32' ? 2 ** 31 : 2 ** 63;
      if (typeof value !== 'number' || !Number.isInteger(value)) return bad('an integer');
      return value >= -limit && value < limit ? value : bad(`an integer of ${type === 'int32' ? 32 : 64} bits`);
    }
    case 'duration': {
      if (typeof value !== 'string') return bad('a duration string such as "15s"');
      try {
        return parseGoDuration(value);
      } catch (e) {
        if (!(e instanceof DurationError)) throw e;
        problems.push(`${path}: Invalid value: ${show(value)}: ${e.message}`);
        return undefined;
      }
    }
    case 'strings':
      if (!Array.isArray(value)) return bad('a list of strings');
      return value.map((item, i) => decodeScalar('string', item, `${path}[${i}]`, problems));
  }
}

function decodeObject(
  s: ObjectSchema,
  value: unknown,
  path: string,
  problems: string[],
  unknown: string[],
): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${path || '<root>'}: Invalid value: ${show(value)}: must be an object`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const fieldPath = path ? `${path}.${key}` : key;
    const field = s[key];
    if (field === undefined) {
      unknown.push(fieldPath);
      continue;
    }
    if (item === null) continue; // JSON null leaves the Go zero value
    if (typeof field === 'string') out[key] = decodeScalar(field, item, fieldPath, problems);
    else if ('type' in field && typeof field.type === 'string') {
      out[field.as as string] = decodeScalar(field.type as Scalar, item, fieldPath, problems);
    } else out[key] = decodeObject(field as ObjectSchema, item, fieldPath, problems, unknown);
  }
  return out;
}

export interface DecodeResult {
  configuration?: Configuration;
  /** Empty when the file decoded cleanly. */
  problems: string[];
}

/** Decodes a Configuration file's text; never throws for bad input, returns the problems instead. */
export function decodeConfiguration(text: string): DecodeResult {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { problems: doc.errors.map((e) => `error converting YAML to JSON: ${e.message.split('\n')[0]}`) };
  }
  const raw: unknown = doc.toJS() ?? {};
  const problems: string[] = [];
  const unknown: string[] = [];
  const decoded = decodeObject(schema, raw, '', problems, unknown);
  if (unknown.length > 0) {
    problems.unshift(`strict decoding error: ${unknown.map((f) => `unknown field ${show(f)}`).join(', ')}`);
  }
  if (!decoded) return { problems };
  if (!decoded.kind) problems.push(`kind: Required value: must be "${CONFIG_KIND}"`);
  else if (decoded.kind !== CONFIG_KIND) {
    problems.push(`kind: Unsupported value: ${show(decoded.kind)}: supported values: "${CONFIG_KIND}"`);
  }
  if (!decoded.apiVersion) problems.push(`apiVersion: Required value: must be "${CONFIG_GROUP_VERSION}"`);
  else if (decoded.apiVersion !== CONFIG_GROUP_VERSION) {
    problems.push(`apiVersion: Unsupported value: ${show(decoded.apiVersion)}: supported values: "${CONFIG_GROUP_VERSION}"`);
  }
  if (problems.length > 0) return { problems };
  const { apiVersion: _v, kind: _k, ...fields } = decoded;
  const configuration = { webhook: {}, metrics: {}, health: {}, ...fields } as Configuration;
  return { configuration, problems };
}
