// Small DOM helpers. Text is always set as text (never parsed as HTML), so API data cannot inject markup.

/** h('div', {class: 'x', onclick: f}, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** A page header: title, optional subtitle and buttons. */
export function header(title, subtitle, ...actions) {
  return h('div', { class: 'page-header' },
    h('div', {}, h('h2', {}, title), subtitle ? h('p', { class: 'muted' }, subtitle) : null),
    h('div', { class: 'actions' }, actions));
}

export function button(label, onclick, cls = '', attrs = {}) {
  return h('button', { type: 'button', class: cls, onclick, ...attrs }, label);
}

/** A table: columns [{title, render(row) → node|text}], rows. */
export function table(columns, rows, empty = 'Nothing here yet.', attrs = {}) {
  if (!rows.length) return h('p', { class: 'empty muted' }, empty);
  return h('div', { class: 'table-scroll' }, h('table', { class: 'grid', ...attrs },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c.title)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', {}, c.render(r))))))));
}

/** Label/value pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter((p) => p).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === undefined || v === '' ? '—' : v)]));
}

export function badge(text, kind) {
  return h('span', { class: 'badge ' + (kind || String(text).toLowerCase()) }, text);
}

export function section(title, ...content) {
  return h('section', { class: 'card' }, h('h3', {}, title), content);
}

/** A labelled form field. */
export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
}

export function select(name, options, value) {
  return h('select', { name }, options.map((o) => {
    const [v, t] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: v === value }, t);
  }));
}

export function toast(message, kind = 'ok') {
  const t = h('div', { class: 'toast ' + kind, role: kind === 'error' ? 'alert' : 'status' }, message);
  document.getElementById('toasts').append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 8000 : 3500);
}

/** Shows an API error where the user is looking (an inline box in `where`, or a toast). */
export function showError(e, where) {
  const text = e && e.code ? `${e.code}: ${e.detail || ''}` : String(e && e.message ? e.message : e);
  if (where) {
    const box = h('div', { class: 'error-box', role: 'alert' }, text, e && e.requestId ? h('small', { class: 'muted' }, ' RequestId ' + e.requestId) : null);
    where.prepend(box);
  } else {
    toast(text, 'error');
  }
}

/** Runs an async action from a button: disables it meanwhile, reports errors. */
export function guarded(fn, where) {
  return async (ev) => {
    const b = ev && ev.currentTarget;
    if (b && b.tagName === 'BUTTON') b.disabled = true;
    try {
      await fn(ev);
    } catch (e) {
      showError(e, where && where());
    } finally {
      if (b && b.tagName === 'BUTTON') b.disabled = false;
    }
  };
}

/**
 * A modal form. fields: [[name, label, input element, hint]]. onSubmit(values) may throw an ApiError, shown in the
 * dialog. Resolves when closed.
 */
export function modal(title, fields, submitLabel, onSubmit, intro) {
  const error = h('div', { class: 'modal-error' });
  const form = h('form', { class: 'modal-form' },
    intro ? h('p', { class: 'muted' }, intro) : null,
    fields.map(([name, label, input, hint]) => {
      input.name = name;
      return field(label, input, hint);
    }),
    error,
    h('div', { class: 'modal-actions' },
      button('Cancel', () => close(), '', { 'data-role': 'cancel' }),
      h('button', { type: 'submit', class: 'primary' }, submitLabel)));
  const dialog = h('div', { class: 'modal-backdrop' }, h('div', { class: 'modal card', role: 'dialog', 'aria-label': title }, h('h3', {}, title), form));
  function close() {
    dialog.remove();
  }
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(error);
    const values = {};
    for (const [name, , input] of fields) values[name] = input.type === 'checkbox' ? input.checked : input.value;
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      await onSubmit(values, close);
      close();
    } catch (e) {
      showError(e, error);
    } finally {
      submit.disabled = false;
    }
  });
  document.body.append(dialog);
  const first = form.querySelector('input, textarea, select');
  if (first) first.focus();
  return dialog;
}

/** A dialog that only shows something (e.g. a secret shown once) with a close button. */
export function notice(title, ...content) {
  const dialog = h('div', { class: 'modal-backdrop' },
    h('div', { class: 'modal card', role: 'dialog', 'aria-label': title }, h('h3', {}, title), content,
      h('div', { class: 'modal-actions' }, button('Close', () => dialog.remove(), 'primary', { 'data-role': 'close' }))));
  document.body.append(dialog);
  return dialog;
}

export function confirmAction(title, text, label, fn) {
  return modal(title, [], label, fn, text);
}

/** Offers text as a file download (built in the page; nothing goes to the server). */
export function download(filename, text, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function input(attrs = {}) {
  return h('input', { type: 'text', spellcheck: 'false', ...attrs });
}

export function textarea(attrs = {}, value = '') {
  const t = h('textarea', { spellcheck: 'false', ...attrs });
  t.value = value;
  return t;
}

export function checkbox(checked = false) {
  const c = h('input', { type: 'checkbox' });
  c.checked = checked;
  return c;
}

export function link(href, text) {
  return h('a', { href }, text);
}

/** "2026-12-03T14:25:47Z" → "2026-12-03 15:25:47" in the browser's time zone. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (isNaN(d)) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function loading() {
  return h('p', { class: 'muted loading' }, 'Loading…');
}
