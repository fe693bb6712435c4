// Turns the parser's first error into a diagnostic a user can act on. A hint that rewrites the
// query is only given when the rewrite itself validates; otherwise the hint says what to change.
import { closestName, FUNCTIONS } from './functions.js';
import { functionNames, type Grammar } from './grammar.js';
import { type ParseError, parsePromQL } from './parser.js';
import { parseQuery, syntaxDiagnostics } from './syntax.js';
import type { Diagnostic } from './types.js';

const BRACKET_ERRORS =
  /^(unclosed left|unexpected right (parenthesis|bracket)|unexpected end of input inside braces|unexpected end of input)/;

/** The diagnostic for a query Prometheus rejects while parsing. */
export function explainParseError(q: string, err: ParseError, g: Grammar): Diagnostic {
  const d: Diagnostic = {
    severity: 'error',
    from: err.from,
    to: err.to,
    message: err.message,
    hint: '',
    rule: err.rule,
  };
  if (err.rule === 'unknown-function') return unknownFunction(q, d, g);
  const legacy = bracketOrGrouping(q, err, g);
  if (legacy) return legacy;
  d.message = sentence(err.message);
  d.hint = hintFor(q, err, g);
  return d;
}

function valid(q: string, g: Grammar): boolean {
  try {
    return parsePromQL(q, g).errors.length === 0;
  } catch {
    return false;
  }
}

/** Bracket balance and `by` outside an aggregation: the lezer-based explanations, checked. */
function bracketOrGrouping(q: string, err: ParseError, g: Grammar): Diagnostic | undefined {
  const byOrWithout = /^(by|without)$/i.test(err.token?.val ?? '');
  const closer = /^[)\]}]$/.test(err.token?.val ?? '');
  if (!byOrWithout && !closer && !BRACKET_ERRORS.test(err.message)) return undefined;
  let legacy: Diagnostic | undefined;
  try {
    [legacy] = syntaxDiagnostics(q, parseQuery(q));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  if (!legacy) return undefined;
  const afterClause = /\b(by|without)\s*\([^()]*\)\s*$/i.test(q.slice(0, err.from));
  if (legacy.rule === 'grouping-outside-aggregation' && byOrWithout && !afterClause) {
    const rewrite = legacy.hint.replace(/^aggregate explicitly: /, '');
    return valid(rewrite, g)
      ? legacy
      : { ...legacy, hint: 'move the clause onto an aggregation: sum by (label) (expr)' };
  }
  if (byOrWithout) {
    return {
      ...legacy,
      rule: 'syntax',
      message: `unexpected \`${err.token?.val}\`: an aggregation takes one by/without clause, right after the operator or after its arguments`,
      hint: 'keep one clause: sum by (a) (x) or sum without (b) (x)',
    };
  }
  const fix = /^close it: (.*)$/.exec(legacy.hint);
  if (fix && !valid(fix[1] as string, g))
    return { ...legacy, hint: 'close the bracket where the expression it opens ends' };
  return /^unclosed|nothing to close|was expected|ends too early/.test(legacy.message) ? legacy : undefined;
}

function unknownFunction(q: string, d: Diagnostic, g: Grammar): Diagnostic {
  const name = q.slice(d.from, d.to);
  const sig = FUNCTIONS[name];
  d.message = `unknown function \`${name}\` in Prometheus ${g.version}`;
  if (name === 'holt_winters' && g.v3)
    d.hint = 'Prometheus 3 renamed holt_winters to double_exponential_smoothing';
  else if (name === 'double_exponential_smoothing' && !g.v3) d.hint = 'Prometheus 2.x calls it holt_winters';
  else if (sig?.since)
    d.hint = `${name}() needs Prometheus ${sig.since} or later; set --prometheus-version if yours is newer`;
  else {
    const near = closestName(name, functionNames(g));
    d.hint = near
      ? `did you mean \`${near}\`?`
      : 'see the function list at https://prometheus.io/docs/prometheus/latest/querying/functions/';
  }
  return d;
}

function sentence(message: string): string {
  return message
    .replace(/^unexpected <op:(\w+)>/, 'unexpected `$1`')
    .replace(/^unexpected <(\w+)>/, 'unexpected `$1`');
}

function hintFor(q: string, err: ParseError, g: Grammar): string {
  const m = err.message;
  const tok = q.slice(err.from, err.to);
  if (/in offset, expected duration/.test(m))
    return 'an offset needs a unit: offset 5m (a bare number is Prometheus 3 syntax)';
  if (/missing unit character in duration/.test(m))
    return 'a range needs a positive duration with a unit: [5m], [30s]';
  if (/not a valid duration string/.test(m)) {
    const frac = /^(\d+)\.(\d+)([smhdw])$/.exec(tok);
    const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[frac?.[3] ?? 's'] ?? 1;
    const seconds = frac ? Number(`${frac[1]}.${frac[2]}`) * unit : undefined;
    if (seconds !== undefined && Number.isInteger(seconds))
      return `durations take whole numbers of units: ${seconds}s`;
    return 'units go from largest to smallest, each once, with whole numbers: 1h30m, 90s, 500ms';
  }
  if (/greater than 0/.test(m)) return 'use a positive duration, e.g. 5m';
  if (/bad (number or )?duration syntax/.test(m) && /_/.test(q.slice(err.from, err.from + 40)))
    return 'Prometheus has no digit separators: write 1000, not 1_000';
  if (/bad (number or )?duration syntax/.test(m))
    return 'durations use y, w, d, h, m, s, ms (lower case): 5m';
  if (/escape sequence/.test(m))
    return 'Go escapes only: \\a \\b \\f \\n \\r \\t \\v \\\\, the quote in use, \\x41, \\u00e9, \\U0001F600, \\101; for a regex backslash write \\\\ or use a `raw string`';
  if (/unexpected string .* in (label matching|grouping opts)/.test(m) && !g.v3)
    return `quoted label names are Prometheus 3 syntax; Prometheus ${g.version} needs a plain name`;
  if (/unexpected <without> in grouping opts/.test(m))
    return '`without` is a keyword and cannot be a label name here';
  if (/in grouping opts, expected label/.test(m))
    return 'label names are letters, digits and _ (not starting with a digit)';
  if (/offset may not be set multiple times|@ <timestamp> may not be set multiple times/.test(m))
    return 'give each modifier once';
  if (/modifier must be preceded by/.test(m))
    return 'put the modifier on the selector inside: rate(x[5m] offset 1h), or make the expression a subquery';
  if (/no (offset|@) modifiers allowed before range/.test(m)) return 'the range goes first: x[5m] offset 1h';
  if (/ranges only allowed for vector selectors/.test(m))
    return 'for an expression use a subquery: (expr)[5m:1m]';
  if (/trailing commas/.test(m)) return 'remove the last comma';
  if (/error parsing regexp/.test(m))
    return 'Prometheus uses Go RE2 syntax: no lookaround, no backreferences, repeat counts up to 1000';
  if (/timestamp out of bounds/.test(m)) return 'use a Unix timestamp in seconds, start() or end()';
  if (/^unexpected <?bool/.test(m)) return '`bool` goes right after a comparison operator: a > bool b';
  if (/no expression found/.test(m)) return 'write a PromQL expression, e.g. up';
  if (/label matching/.test(m))
    return 'matchers look like {label="value"} with =, !=, =~ or !~ and a quoted value';
  return 'check the operators and brackets around this point';
}
