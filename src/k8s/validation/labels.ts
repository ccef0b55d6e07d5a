/**
 * @module k8s/validation/labels
 * apimachinery's label and annotation key/value checks (`IsQualifiedName`, `IsValidLabelValue`, and
 * `ValidateLabels` / the key part of `ValidateAnnotations` of metav1validation), with the same messages. The
 * apiserver runs them on every object's metadata; a product needs them to predict that an object it will create
 * (e.g. a DisaggregatedSet's child LeaderWorkerSet) would be refused.
 */
import { invalid, type FieldError } from './field-errors.ts';
import { isDNS1123Subdomain, maxLenError, regexError } from './object-meta.ts';

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const LABEL_VALUE_MAX_LENGTH = 63;
const EMPTY = 'must be non-empty';

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

/** `validation.IsQualifiedName`: `[prefix/]name`, the prefix a DNS-1123 subdomain. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${EMPTY}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH)
    errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** `validation.IsValidLabelValue`. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      regexError(
        `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        LABEL_VALUE_FMT,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

/** metav1validation `ValidateLabels`: every key a qualified name, every value a label value (errors at `path`). */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(key)) errs.push(invalid(path, key, m));
    for (const m of isValidLabelValue(String(value))) errs.push(invalid(path, value, m));
  }
  return errs;
}

/** The key checks of apimachinery's `ValidateAnnotations` (keys compared lower-cased; the size limit is not checked). */
export function validateAnnotationKeys(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(annotations ?? {})) {
    for (const m of isQualifiedName(key.toLowerCase())) errs.push(invalid(path, key, m));
  }
  return errs;
}
