// Label-matcher regular expressions checked with RE2 semantics (re2js, a pure-JS port of RE2),
// as Prometheus compiles them with Go's regexp: anchored, and the pattern alone as well.
import { RE2JS } from 're2js';
import type { Grammar } from './grammar.js';
import { errorMessage } from '../error-message.js';

const cache = new Map<string, RE2JS | string>();

function compile(pattern: string): RE2JS | string {
  let r = cache.get(pattern);
  if (r === undefined) {
    try {
      r = RE2JS.compile(pattern);
    } catch (e) {
      r = errorMessage(e);
    }
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, r);
  }
  return r;
}

/** Why Prometheus rejects `value` as a matcher regex, or undefined when it compiles. */
export function regexError(value: string, g: Grammar): string | undefined {
  // Go before 1.22 (Prometheus 2.x) knows only the (?P<name>...) form of named groups.
  if (!g.v3 && /(^|[^\\])\(\?</.test(value))
    return 'error parsing regexp: invalid or unsupported Perl syntax: `(?<`';
  const anchored = compile(`^(?:${value})$`);
  if (typeof anchored === 'string') return anchored;
  const bare = compile(value);
  return typeof bare === 'string' ? bare : undefined;
}

/** Whether the matcher regex `value` matches the empty string (Prometheus' anchored semantics). */
export function regexMatchesEmpty(value: string): boolean {
  const r = compile(`^(?:${value})$`);
  return typeof r === 'string' ? false : r.matches('');
}
