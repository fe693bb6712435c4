import Handlebars from 'handlebars';
import { STYLE } from './style.js';

const hbs = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Renders one of our templates; `{{x}}` escapes, only `{{{svg}}}` / `{{{style}}}` are raw. */
export function renderTemplate(source: string, view: object): string {
  let fn = cache.get(source);
  if (!fn) {
    fn = hbs.compile(source, { strict: false, preventIndent: true });
    cache.set(source, fn);
  }
  return fn({ ...view, style: STYLE });
}
