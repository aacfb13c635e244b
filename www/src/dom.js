// The page's DOM helpers: a tiny element builder, and how an error is shown.
import { AuthzError } from 'libsql-authz';

export const $ = (id) => document.getElementById(id);

/** Tiny DOM builder: h("div.cls", {attr}, ...children). */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...nodes(children));
  return el;
}
/** Nested arrays flattened; null, undefined and false dropped. */
const nodes = (children) =>
  children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
/** Replace an element's content. */
export const fill = (el, ...children) => el.replaceChildren(...nodes(children));

/** A `<dt>`/`<dd>` pair. */
export const fact = (label, value) => [h('dt', {}, label), h('dd', {}, value)];

/** `{ code, message }` of anything thrown. */
export function asError(e) {
  if (e instanceof AuthzError || (e && typeof e.code === 'string'))
    return { code: e.code, message: e.message };
  return { code: 'UNEXPECTED', message: String(e?.message ?? e) };
}
export const errorBox = (err, testid) =>
  h(
    'div.error',
    { 'data-testid': testid },
    h('code.code-badge', { 'data-testid': `${testid}-code` }, err.code),
    h('span', {}, err.message),
  );
