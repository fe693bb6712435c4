import type { SyntaxNode } from '@lezer/common';
import { parsePromDuration } from './duration.js';
import { AGGREGATIONS, FUNCTIONS } from './functions.js';
import {
  callArgs,
  child,
  children,
  exprChildren,
  MODIFIER_WRAPPERS,
  selectorParts,
  text,
  unparen,
} from './tree.js';
import type { Diagnostic, ValueType } from './types.js';

const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPS = new Set(['And', 'Or', 'Unless']);
const OPERATORS = new Set([
  ...COMPARISONS,
  ...SET_OPS,
  'Pow',
  'Mul',
  'Div',
  'Mod',
  'Add',
  'Sub',
  'Atan2',
  'TrimUpper',
  'TrimLower',
]);

const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'a scalar',
  vector: 'an instant vector',
  matrix: 'a range vector',
  string: 'a string',
};

/** Checks the value types of a parsed, syntax-error-free query, the way Prometheus' parser does. */
export class TypeChecker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly q: string) {}

  private error(node: SyntaxNode, message: string, hint: string, rule: string): void {
    this.diagnostics.push({ severity: 'error', from: node.from, to: node.to, message, hint, rule });
  }

  private warn(node: SyntaxNode, message: string, hint: string, rule: string): void {
    this.diagnostics.push({ severity: 'warning', from: node.from, to: node.to, message, hint, rule });
  }

  /** The type of `node`, reporting problems on the way; undefined when it cannot be known. */
  check(node: SyntaxNode): ValueType | undefined {
    switch (node.name) {
      case 'NumberDurationLiteral':
        return 'scalar';
      case 'StringLiteral':
        return 'string';
      case 'VectorSelector':
        this.checkSelector(node);
        return 'vector';
      case 'MatrixSelector':
        return this.checkMatrix(node);
      case 'SubqueryExpr': {
        const inner = exprChildren(node)[0];
        const t = inner && this.check(inner);
        if (inner && t && t !== 'vector') {
          this.error(
            inner,
            `a subquery needs an instant vector, got ${TYPE_NAMES[t]}`,
            'apply [range:step] to an instant-vector expression',
            'argument-type',
          );
        }
        return 'matrix';
      }
      case 'ParenExpr': {
        const inner = exprChildren(node)[0];
        return inner && this.check(inner);
      }
      case 'UnaryExpr': {
        const inner = exprChildren(node)[0];
        const t = inner && this.check(inner);
        if (inner && t && t !== 'scalar' && t !== 'vector') {
          this.error(
            node,
            `unary minus/plus needs a scalar or an instant vector, got ${TYPE_NAMES[t]}`,
            'apply it to a number or an instant vector',
            'argument-type',
          );
        }
        return t;
      }
      case 'FunctionCall':
        return this.checkFunction(node);
      case 'AggregateExpr':
        return this.checkAggregation(node);
      case 'BinaryExpr':
        return this.checkBinary(node);
      default:
        if (MODIFIER_WRAPPERS.has(node.name)) return this.checkModifier(node);
        return undefined;
    }
  }

  private checkSelector(node: SyntaxNode): void {
    const { metric, matchers } = selectorParts(this.q, node);
    const nameMatchers = matchers.filter((m) => m.name === '__name__');
    if (child(node, 'Identifier') && nameMatchers.length > 0) {
      this.error(
        node,
        'the metric name is given twice (before the braces and as __name__)',
        'keep one of them',
        'selector',
      );
    }
    const nonEmpty = matchers.some((m) => !safeMatchesEmpty(m.op, m.value));
    if (metric === undefined && !nonEmpty) {
      this.error(
        node,
        'a selector needs a metric name or at least one matcher that does not match the empty string',
        'add a metric name, e.g. up{job=~".+"}',
        'selector',
      );
    }
    for (const m of matchers) {
      if (m.op !== '=~' && m.op !== '!~') continue;
      const problem = regexProblem(m.value);
      if (problem)
        this.error(
          node,
          `label ${m.name}: invalid regular expression ${JSON.stringify(m.value)}: ${problem}`,
          'Prometheus uses RE2 syntax: no lookaround, no backreferences',
          'regex',
        );
    }
  }

  private checkMatrix(node: SyntaxNode): ValueType {
    const inner = exprChildren(node)[0];
    if (inner && inner.name !== 'VectorSelector') {
      this.error(
        node,
        'a range [..] can only follow a metric selector',
        'for an expression use a subquery: (expr)[5m:1m]',
        'argument-type',
      );
    } else if (inner) {
      this.checkSelector(inner);
    }
    const duration = child(node, 'DurationExpr');
    const seconds = duration && parsePromDuration(text(this.q, duration));
    if (duration && seconds !== undefined && seconds <= 0) {
      this.error(duration, 'the range must be longer than zero', 'use a range like [5m]', 'range');
    }
    return 'matrix';
  }

  private checkModifier(node: SyntaxNode): ValueType | undefined {
    const inner = exprChildren(node)[0];
    if (!inner) return undefined;
    const base = unparen(inner);
    const allowed = ['VectorSelector', 'MatrixSelector', 'SubqueryExpr', ...MODIFIER_WRAPPERS];
    if (!allowed.includes(base.name) && !(node.name === 'StepInvariantExpr' && inner.name === 'ParenExpr')) {
      this.error(
        node,
        'offset and @ must follow a selector, a range selector or a subquery',
        'move the modifier onto the selector: rate(x[5m] offset 1h)',
        'modifier',
      );
    }
    return this.check(inner);
  }

  private checkFunction(node: SyntaxNode): ValueType | undefined {
    const ident = child(node, 'FunctionIdentifier');
    const name = ident ? text(this.q, ident) : '';
    const args = callArgs(node);
    const types = args.map((a) => this.check(a));
    const sig = FUNCTIONS[name];
    if (!sig) {
      if (ident)
        this.warn(
          ident,
          `function \`${name}\` is not in mlperf's table; its arguments are not checked`,
          'it may need a recent Prometheus',
          'unknown-function',
        );
      return 'vector';
    }
    const min = sig.optional < 0 ? sig.args.length : sig.args.length - sig.optional;
    const max = sig.optional < 0 ? Number.POSITIVE_INFINITY : sig.args.length;
    if (args.length < min || args.length > max) {
      const want =
        min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
      this.error(
        node,
        `${name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
        `${name}(${sig.args.map((t) => `<${t}>`).join(', ')})`,
        'argument-count',
      );
      return sig.returns;
    }
    args.forEach((arg, i) => {
      const want = sig.args[Math.min(i, sig.args.length - 1)];
      const got = types[i];
      if (want && got && want !== got)
        this.error(
          arg,
          `${name}() argument ${i + 1} must be ${TYPE_NAMES[want]}, got ${TYPE_NAMES[got]}`,
          argumentHint(name, want, this.q.slice(arg.from, arg.to)),
          'argument-type',
        );
    });
    return sig.returns;
  }

  private checkAggregation(node: SyntaxNode): ValueType {
    const opNode = child(node, 'AggregateOp');
    const op = opNode ? text(this.q, opNode).toLowerCase() : '';
    const args = callArgs(node);
    const param = AGGREGATIONS[op];
    const want = param ? 2 : 1;
    if (args.length !== want) {
      this.error(
        node,
        `${op}() takes ${want} argument${want === 1 ? '' : 's'}, got ${args.length}`,
        param ? `${op}(<${param}>, <instant vector>)` : `${op}(<instant vector>)`,
        'argument-count',
      );
    }
    const types = args.map((a) => this.check(a));
    if (args.length !== want) return 'vector';
    if (param && args[0] && types[0] && types[0] !== param) {
      this.error(
        args[0],
        `${op}() parameter must be ${TYPE_NAMES[param]}, got ${TYPE_NAMES[types[0]]}`,
        param === 'string' ? `${op}("label", x)` : `${op}(5, x)`,
        'argument-type',
      );
    }
    const body = args[want - 1];
    const bodyType = types[want - 1];
    if (body && bodyType && bodyType !== 'vector') {
      this.error(
        body,
        `${op}() aggregates an instant vector, got ${TYPE_NAMES[bodyType]}`,
        bodyType === 'matrix'
          ? `wrap the range in a function first: ${op}(rate(${text(this.q, body)}))`
          : 'aggregate an instant vector',
        'argument-type',
      );
    }
    return 'vector';
  }

  private checkBinary(node: SyntaxNode): ValueType | undefined {
    const kids = children(node);
    const operands = exprChildren(node);
    const opNode = kids.find((c) => OPERATORS.has(c.name));
    const [lhs, rhs] = operands;
    if (!lhs || !rhs || !opNode) return undefined;
    const lt = this.check(lhs);
    const rt = this.check(rhs);
    const op = text(this.q, opNode);
    for (const [side, t] of [
      [lhs, lt],
      [rhs, rt],
    ] as const) {
      if (t === 'matrix' || t === 'string') {
        this.error(
          side,
          `\`${op}\` works on scalars and instant vectors, got ${TYPE_NAMES[t]}`,
          t === 'matrix'
            ? 'turn the range into an instant vector first, e.g. with rate() or avg_over_time()'
            : 'strings cannot be combined with operators',
          'binary-operand',
        );
      }
    }
    const bool = kids.find((c) => c.name === 'BoolModifier');
    const matching = kids.find((c) => c.name === 'MatchingModifierClause');
    if (SET_OPS.has(opNode.name) && (lt === 'scalar' || rt === 'scalar')) {
      this.error(
        node,
        `\`${op}\` is a set operator: both sides must be instant vectors`,
        'use vector(<scalar>) to turn a scalar into a vector',
        'binary-operand',
      );
    }
    if (bool && !COMPARISONS.has(opNode.name)) {
      this.error(
        bool,
        '`bool` only applies to comparison operators (==, !=, >, <, >=, <=)',
        'remove `bool`',
        'bool-modifier',
      );
    }
    if (COMPARISONS.has(opNode.name) && lt === 'scalar' && rt === 'scalar' && !bool) {
      this.error(
        node,
        'comparing two scalars needs the `bool` modifier',
        `write: ${text(this.q, lhs)} ${op} bool ${text(this.q, rhs)}`,
        'bool-modifier',
      );
    }
    if (matching && (lt === 'scalar' || rt === 'scalar')) {
      this.error(
        matching,
        'on/ignoring/group_left/group_right need instant vectors on both sides',
        'remove the matching clause',
        'binary-operand',
      );
    }
    return lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
  }
}

function argumentHint(fn: string, want: ValueType, arg: string): string {
  if (want === 'matrix') return `give it a range: ${fn}(${arg}[5m])`;
  if (want === 'scalar') return `use a number, or scalar(${arg})`;
  if (want === 'vector' && /\[[^\]]*\]$/.test(arg)) return `drop the range, or wrap it: ${fn}(rate(${arg}))`;
  if (want === 'string') return 'use a quoted string';
  return `pass ${TYPE_NAMES[want]}`;
}

/** Whether a matcher may match the empty label value (Prometheus rejects selectors of only those). */
function safeMatchesEmpty(op: string, value: string): boolean {
  if (op === '=') return value === '';
  if (op === '!=') return value !== '';
  try {
    const matches = new RegExp(`^(?:${jsRegex(value)})$`).test('');
    return op === '=~' ? matches : !matches;
  } catch {
    return true;
  }
}

function regexProblem(value: string): string | undefined {
  if (/\(\?<?[=!]/.test(value)) return 'lookahead and lookbehind are not supported';
  if (/\\[1-9]/.test(value)) return 'backreferences are not supported';
  try {
    new RegExp(jsRegex(value));
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : 'invalid';
  }
}

/** RE2 flag groups such as `(?i)` have no JS equivalent outside a group; drop them for checking. */
function jsRegex(value: string): string {
  return value.replace(/\(\?[imsU]+\)/g, '');
}
