import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { closestName, FUNCTIONS } from './functions.js';
import type { Diagnostic } from './types.js';

export function parseQuery(q: string): Tree {
  return parser.parse(q);
}

/** Deeper or longer queries skip the lint rules: lezer would take seconds to give up on them. */
const MAX_LINT_DEPTH = 200;
const MAX_LINT_LENGTH = 16_000;

function bracketDepth(q: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < q.length; i++) {
    const c = q.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return max;
}

/** The lezer tree of `q` when lezer parses it without an error node (lint rules walk it), else undefined. */
export function lintTree(q: string): Tree | undefined {
  if (q.length > MAX_LINT_LENGTH || bracketDepth(q) > MAX_LINT_DEPTH) return undefined;
  try {
    const tree = parser.parse(q);
    let ok = true;
    tree.iterate({
      enter(ref) {
        if (ref.type.isError) ok = false;
        return ok;
      },
    });
    return ok ? tree : undefined;
  } catch (e) {
    if (e instanceof RangeError) return undefined; // deeper than lezer's recursion allows
    throw e;
  }
}

function errorNodes(tree: Tree): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) out.push(ref.node);
    },
  });
  return out;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

interface BracketScan {
  unclosed: { char: string; at: number }[];
  stray?: { char: string; at: number; expected?: string };
}

/** Bracket balance outside strings and comments. */
function scanBrackets(q: string): BracketScan {
  const stack: { char: string; at: number }[] = [];
  for (let i = 0; i < q.length; i++) {
    const c = q[i] ?? '';
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < q.length && q[i] !== c) i += q[i] === '\\' && c !== '`' ? 2 : 1;
    } else if (c === '#') {
      while (i < q.length && q[i] !== '\n') i++;
    } else if (c === '(' || c === '[' || c === '{') {
      stack.push({ char: c, at: i });
    } else if (c === ')' || c === ']' || c === '}') {
      const open = stack.pop();
      if (!open || CLOSER[open.char] !== c) {
        return { unclosed: stack, stray: { char: c, at: i, expected: open ? CLOSER[open.char] : undefined } };
      }
    }
  }
  return { unclosed: stack };
}

const syntax = (from: number, to: number, message: string, hint: string, rule = 'syntax'): Diagnostic => ({
  severity: 'error',
  from,
  to,
  message,
  hint,
  rule,
});

/** `expr by (labels)` where no aggregation owns the clause: the Phase-07 plan's own mistake. */
function groupingOutsideAggregation(q: string, err: SyntaxNode): Diagnostic | undefined {
  const clause = /^(by|without)\s*\(([^)]*)\)/i.exec(q.slice(err.from));
  if (!clause) return undefined;
  let prev = err.prevSibling;
  while (prev?.type.isError) prev = prev.prevSibling;
  if (!prev) return undefined;
  const keyword = (clause[1] ?? 'by').toLowerCase();
  const labels = (clause[2] ?? '').trim();
  const inner = q.slice(prev.from, prev.to);
  const end = err.from + clause[0].length;
  const rewrite = `${q.slice(0, prev.from)}sum ${keyword} (${labels}) (${inner})${q.slice(end)}`.trim();
  return syntax(
    err.from,
    end,
    `\`${clause[0]}\` is not attached to an aggregation: \`${keyword}\` only follows or precedes sum, avg, max, min, count, topk and the other aggregation operators`,
    `aggregate explicitly: ${rewrite}`,
    'grouping-outside-aggregation',
  );
}

function unknownFunction(q: string, err: SyntaxNode): Diagnostic | undefined {
  if (q[err.from] !== '(') return undefined;
  const before = /([a-zA-Z_][a-zA-Z0-9_]*)\s*$/.exec(q.slice(0, err.from));
  if (!before?.[1]) return undefined;
  const name = before[1];
  const from = err.from - before[0].length;
  const suggestion =
    name === 'holt_winters' ? 'double_exponential_smoothing' : closestName(name, Object.keys(FUNCTIONS));
  const hint =
    name === 'holt_winters'
      ? 'Prometheus 3 renamed holt_winters to double_exponential_smoothing (behind --enable-feature=promql-experimental-functions)'
      : suggestion
        ? `did you mean \`${suggestion}\`?`
        : 'see the function list at https://prometheus.io/docs/prometheus/latest/querying/functions/';
  return syntax(from, from + name.length, `unknown function \`${name}\``, hint, 'unknown-function');
}

function tokenAt(q: string, at: number): string {
  const m = /^\s*(\S+)/.exec(q.slice(at));
  return m?.[1]?.slice(0, 20) ?? '';
}

/** Syntax errors of `q`, the most useful one first; empty when `q` parses. */
export function syntaxDiagnostics(q: string, tree: Tree): Diagnostic[] {
  if (q.trim() === '' || /^\s*(#[^\n]*\s*)*$/.test(q)) {
    return [syntax(0, q.length, 'the query is empty', 'write a PromQL expression, e.g. up')];
  }
  const errors = errorNodes(tree);
  if (errors.length === 0) return [];
  for (const err of errors) {
    const d = groupingOutsideAggregation(q, err) ?? unknownFunction(q, err);
    if (d) return [d];
  }
  const brackets = scanBrackets(q);
  if (brackets.stray) {
    const { char, at, expected } = brackets.stray;
    return [
      syntax(
        at,
        at + 1,
        expected
          ? `\`${char}\` where \`${expected}\` was expected`
          : `unexpected \`${char}\`: nothing to close`,
        expected
          ? `close the open bracket with \`${expected}\` first`
          : `remove the \`${char}\` or add its opening bracket`,
      ),
    ];
  }
  const end = q.trimEnd().length;
  const first = errors[0] as SyntaxNode;
  if (brackets.unclosed.length > 0 && first.from >= end - 1) {
    const open = brackets.unclosed[brackets.unclosed.length - 1] as { char: string; at: number };
    const closers = brackets.unclosed
      .map((b) => CLOSER[b.char])
      .reverse()
      .join('');
    return [
      syntax(
        open.at,
        open.at + 1,
        `unclosed \`${open.char}\`: the query ends before its \`${CLOSER[open.char]}\``,
        `close it: ${q.trimEnd()}${closers}`,
      ),
    ];
  }
  if (first.from >= end) {
    const last = q.trimEnd().slice(-12);
    return [
      syntax(
        end,
        end,
        `the query ends too early, after \`${last}\``,
        'complete the expression (an operator needs a right-hand side, a matcher a quoted value)',
      ),
    ];
  }
  const parent = first.parent?.name ?? '';
  const token = tokenAt(q, first.from) || q.slice(first.from, first.to);
  const to = Math.max(first.to, first.from + Math.max(1, token.length));
  if (parent === 'LabelMatchers' || parent === 'UnquotedLabelMatcher' || parent === 'QuotedLabelMatcher') {
    return [
      syntax(
        first.from,
        to,
        `invalid label matcher near \`${token}\``,
        'matchers look like {label="value"} with =, !=, =~ or !~ and a quoted value',
      ),
    ];
  }
  return [
    syntax(
      first.from,
      to,
      `unexpected \`${token}\``,
      token === 'bool'
        ? '`bool` goes right after a comparison operator: a > bool b'
        : 'check the operators and brackets around this point',
    ),
  ];
}
