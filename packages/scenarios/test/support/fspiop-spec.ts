// Validates the engine's FSPIOP requests against the v1.1 OpenAPI of @mojaloop/api-snippets (ajv).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

type Schema = Record<string, unknown>;
interface Parameter {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
type PathItem = Record<string, Operation> & { parameters?: Parameter[] };
interface Doc {
  paths: Record<string, PathItem>;
  components: { parameters: Record<string, Parameter> };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export interface Message {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export class FspiopSpec {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly doc: Doc;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const pkg = createRequire(import.meta.url).resolve('@mojaloop/api-snippets/package.json');
    const text = readFileSync(join(dirname(pkg), 'docs/fspiop-rest-v1.1-openapi3-snippets.yaml'), 'utf8');
    this.doc = parse(text) as Doc;
    this.ajv.addSchema({
      $id: 'fspiop',
      components: (this.doc as unknown as { components: unknown }).components,
    });
  }

  private operation(method: string, path: string): { template: string; op: Operation; params: Parameter[] } {
    for (const [template, item] of Object.entries(this.doc.paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      if (!re.test(path)) continue;
      const op = item[method.toLowerCase()];
      if (!op) break;
      const resolve = (p: Parameter) =>
        p.$ref ? (this.doc.components.parameters[p.$ref.split('/').pop() as string] as Parameter) : p;
      return { template, op, params: [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolve) };
    }
    throw new Error(`${method} ${path} is not an operation of the FSPIOP v1.1 API`);
  }

  /** Problems of one request (empty when it conforms): operation, required headers, body schema. */
  check(m: Message): string[] {
    const { template, op, params } = this.operation(m.method, m.path);
    const problems: string[] = [];
    for (const p of params) {
      if (p.in === 'header' && p.required && m.headers[(p.name as string).toLowerCase()] === undefined)
        problems.push(`${m.method} ${template}: required header ${p.name} missing`);
    }
    const content = op.requestBody?.content;
    if (content) {
      const schema = Object.values(content)[0]?.schema as Schema;
      const ref = (schema.$ref as string).replace('#/', 'fspiop#/');
      let v = this.validators.get(ref);
      if (!v) {
        v = this.ajv.compile({ $ref: ref });
        this.validators.set(ref, v);
      }
      if (!v(JSON.parse(m.body))) problems.push(`${m.method} ${template}: ${this.ajv.errorsText(v.errors)}`);
    }
    return problems;
  }
}
