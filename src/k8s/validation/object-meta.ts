/**
 * @module webhooks/object-meta
 * apimachinery's name checks (`IsDNS1035Label`, `IsDNS1123Label`) and the parts of `ValidateObjectMeta` that
 * can still fail inside a validating webhook. Labels, annotations, owner references, finalizers and managed
 * fields are checked by the apiserver (with the same code) before validating webhooks run, so they are left out.
 */
import type { ObjectMeta } from '../client/objects.ts';
import { invalid, required, type FieldError } from './field-errors.ts';

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*$`);
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL = new RegExp(`^${DNS1035_LABEL_FMT}$`);
const LABEL_MAX_LENGTH = 63;
const SUBDOMAIN_MAX_LENGTH = 253;

/** `validation.RegexError`, including its double space before " or ". */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const shown = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${message} (e.g. ${shown}regex used for validation is '${format}')`;
}

export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

// Go measures strings in bytes.
const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_MAX_LENGTH) errs.push(maxLenError(LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL.test(value)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL_FMT,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_MAX_LENGTH) errs.push(maxLenError(LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL.test(value)) {
    if (DNS1123_SUBDOMAIN.test(value)) errs.push('must not contain dots');
    else {
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL_FMT,
          'my-name',
          '123-abc',
        ),
      );
    }
  }
  return errs;
}

/** `IsDNS1123Subdomain` (Secret names and other subdomain-style names). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`,
        'example.com',
      ),
    );
  }
  return errs;
}

/** A generateName prefix may end in '-': the generated suffix follows it. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -2) + 'a' : name;
}

type NameCheck = (value: string) => string[];

/** `ValidateObjectMeta(meta, namespaced, nameFn, "metadata")` minus what the apiserver already enforced. */
export function validateObjectMeta(meta: ObjectMeta, namespaced: boolean, nameCheck: NameCheck): FieldError[] {
  const errs: FieldError[] = [];
  const generateName = meta.generateName ?? '';
  if (generateName.length > 0) {
    for (const msg of nameCheck(maskTrailingDash(generateName))) {
      errs.push(invalid('metadata.generateName', generateName, msg));
    }
  }
  const name = meta.name ?? '';
  if (name.length === 0) errs.push(required('metadata.name', 'name or generateName is required'));
  else for (const msg of nameCheck(name)) errs.push(invalid('metadata.name', name, msg));

  const namespace = meta.namespace ?? '';
  if (namespaced) {
    if (namespace.length === 0) errs.push(required('metadata.namespace', ''));
    else for (const msg of isDNS1123Label(namespace)) errs.push(invalid('metadata.namespace', namespace, msg));
  } else if (namespace.length > 0) {
    errs.push({
      type: 'FieldValueForbidden',
      field: 'metadata.namespace',
      badValue: '',
      detail: 'not allowed on this type',
    });
  }
  if ((meta.generation ?? 0) < 0) {
    errs.push(invalid('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  return errs;
}
