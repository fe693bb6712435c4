// Validates FSPIOP requests and callbacks against the v1.1 OpenAPI of @mojaloop/api-snippets (ajv).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { dereference } from '@apidevtools/json-schema-ref-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
type PathItem = Record<string, Operation> & { parameters?: Parameter[] };

export interface HttpMessage {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class FspiopSpec {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly cache = new Map<Schema, ValidateFunction>();
  private constructor(private readonly paths: Record<string, PathItem>) {}

  static async load(): Promise<FspiopSpec> {
    const pkg = createRequire(import.meta.url).resolve('@mojaloop/api-snippets/package.json');
    const file = join(dirname(pkg), 'fspiop/v1_1/openapi3/openapi.yaml');
    const doc = (await dereference(file)) as unknown as { paths: Record<string, PathItem> };
    return new FspiopSpec(doc.paths);
  }

  private compile(schema: Schema): ValidateFunction {
    let v = this.cache.get(schema);
    if (!v) {
      v = this.ajv.compile(schema);
      this.cache.set(schema, v);
    }
    return v;
  }

  private find(method: string, path: string): { op: Operation; params: Parameter[]; template: string } {
    const clean = path.split('?')[0] ?? '';
    for (const [template, item] of Object.entries(this.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      const suffix = clean.match(/\/transfers(\/.*)?$/)?.[0] ?? clean;
      if (!re.test(suffix)) continue;
      const op = item[method.toLowerCase()];
      if (!op) throw new Error(`${method} ${template} is not an operation of the FSPIOP API`);
      return { op, params: [...(item.parameters ?? []), ...(op.parameters ?? [])], template };
    }
    throw new Error(`no FSPIOP path matches ${path}`);
  }

  /** Problems of a request (or callback) against its operation: required headers, header schemas, body schema. */
  checkRequest(m: HttpMessage): string[] {
    const { op, params, template } = this.find(m.method, m.path);
    const problems: string[] = [];
    const where = `${m.method} ${template}`;
    for (const p of params) {
      if (p.in !== 'header') continue;
      const raw = m.headers[p.name.toLowerCase()];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined) {
        if (p.required) problems.push(`${where}: missing required header ${p.name}`);
        continue;
      }
      if (p.schema && p.name !== 'Content-Length' && !this.compile(p.schema)(value))
        problems.push(
          `${where}: header ${p.name}=${value} ${this.ajv.errorsText(this.compile(p.schema).errors)}`,
        );
    }
    const schema = op.requestBody?.content['application/json']?.schema;
    if (schema) {
      const v = this.compile(schema);
      if (!v(m.body)) problems.push(`${where}: body ${this.ajv.errorsText(v.errors)}`);
    }
    return problems;
  }

  /** Problems of a synchronous error response body against the operation's response schema. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[] {
    const { op, template } = this.find(method, path);
    const res = op.responses?.[String(status)];
    if (!res) return [`${method} ${template}: status ${status} is not a documented response`];
    const schema = res.content?.['application/json']?.schema;
    if (!schema) return [];
    const v = this.compile(schema);
    return v(body) ? [] : [`${method} ${template} ${status}: ${this.ajv.errorsText(v.errors)}`];
  }
}
