import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;

/**
 * The CRD's OpenAPI v3 schema as JSON Schema, the way `kubectl apply` (strict field validation)
 * treats it: an object schema that lists its properties rejects any other field.
 */
function strictify(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, Schema>).map(([p, sub]) => [p, strictify(sub)]),
      );
    } else if ((k === 'items' || k === 'additionalProperties') && typeof v === 'object' && v !== null) {
      out[k] = strictify(v as Schema);
    } else if (k === 'anyOf') {
      out.anyOf = (v as Schema[]).map(strictify);
    } else out[k] = v;
  }
  if (s.properties && s.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export function loadTestRunValidator() {
  const path = fileURLToPath(new URL('../fixtures/k6-operator/k6.io_testruns.trimmed.yaml', import.meta.url));
  const crd = parse(readFileSync(path, 'utf8')) as {
    spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
  };
  const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
  if (!version) throw new Error('CRD fixture has no v1alpha1');
  const ajv = new Ajv({ allErrors: true, strict: false });
  const int = (bits: number) => ({
    type: 'number' as const,
    validate: (x: number) => Number.isInteger(x) && Math.abs(x) < 2 ** (bits - 1),
  });
  ajv.addFormat('int32', int(32));
  ajv.addFormat('int64', int(64));
  ajv.addFormat('date-time', (x: string) => !Number.isNaN(Date.parse(x)));
  const validate = ajv.compile(strictify(version.schema.openAPIV3Schema));
  return (obj: unknown): string[] =>
    validate(obj)
      ? []
      : (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message}`);
}
