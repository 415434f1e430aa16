// The audit log, read with ActionTrail's LookupEvents (2020-07-06): filters by action, principal, AccessKey,
// resource, outcome and time; newest first, a page at a time.
import { ACTIONTRAIL, call } from '../api.js';
import { badge, button, clear, field, h, header, input, select, showError, table, when } from '../ui.js';

const RANGES = [['900', 'Last 15 minutes'], ['3600', 'Last hour'], ['86400', 'Last 24 hours'], ['604800', 'Last 7 days'], ['', 'All']];

export async function render(view) {
  const f = {
    range: select('Range', RANGES, '86400'),
    action: input({ id: 'audit-action', placeholder: 'e.g. CreateKey', list: 'audit-actions' }),
    user: input({ id: 'audit-user', placeholder: 'root, user:alice, alice' }),
    accessKey: input({ id: 'audit-accesskey', placeholder: 'LTAI…' }),
    resource: input({ id: 'audit-resource', placeholder: 'key ID, secret name or ARN' }),
    outcome: select('Outcome', [['', 'Any outcome'], ['OK', 'Succeeded'], ['code', 'Failed with code…']], ''),
    code: input({ id: 'audit-code', placeholder: 'Forbidden.NoPermission', hidden: true }),
  };
  f.range.id = 'audit-range';
  f.outcome.id = 'audit-outcome';
  f.outcome.addEventListener('change', () => { f.code.hidden = f.outcome.value !== 'code'; });
  const results = h('div', { id: 'audit-results' });
  const more = button('Load more', () => load(true), '', { id: 'audit-more', hidden: true });
  const form = h('form', { class: 'filters card', id: 'audit-filters' },
    field('Time', f.range), field('Action', f.action), field('Principal', f.user), field('AccessKey ID', f.accessKey),
    field('Resource', f.resource), field('Outcome', h('span', { class: 'inline' }, f.outcome, f.code)),
    h('div', { class: 'filter-submit' }, h('button', { type: 'submit', class: 'primary', id: 'audit-search' }, 'Search')));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); load(false); });
  view.append(header('Audit log', 'Every API call, as the server recorded it (never a plaintext, ciphertext or secret value).'), form, results, more);

  let token = null;
  let rows = [];

  function params() {
    const attrs = [];
    const add = (k, v) => { if (v && v.trim()) attrs.push([k, v.trim()]); };
    add('EventName', f.action.value);
    add('UserName', f.user.value);
    add('EventAccessKeyId', f.accessKey.value);
    add('ResourceName', f.resource.value);
    if (f.outcome.value === 'OK') add('ErrorCode', 'OK');
    if (f.outcome.value === 'code') add('ErrorCode', f.code.value);
    const p = { MaxResults: 50 };
    attrs.forEach(([k, v], i) => { p[`LookupAttribute.${i + 1}.Key`] = k; p[`LookupAttribute.${i + 1}.Value`] = v; });
    if (f.range.value) p.StartTime = new Date(Date.now() - Number(f.range.value) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return p;
  }

  async function load(next) {
    if (!next) { token = null; rows = []; }
    const p = params();
    if (next && token) p.NextToken = token;
    try {
      const r = await call('LookupEvents', p, ACTIONTRAIL);
      rows = rows.concat(r.Events || []);
      token = r.NextToken || null;
      more.hidden = !token;
      clear(results).append(table([
        { title: 'Time', render: (e) => when(e.eventTime) },
        { title: 'Action', render: (e) => e.eventName },
        { title: 'Principal', render: (e) => principal(e.userIdentity) },
        { title: 'AccessKey', render: (e) => h('code', {}, e.userIdentity ? e.userIdentity.accessKeyId : '') },
        { title: 'Resource', render: (e) => h('span', { class: 'wrap', title: e.resourceName || '' }, shortArn(e.resourceName)) },
        { title: 'Result', render: (e) => (e.errorCode ? badge(e.errorCode, 'error') : badge('OK', 'enabled')) },
        { title: 'Latency', render: (e) => (e.additionalEventData ? (e.additionalEventData.latencyMicros / 1000).toFixed(1) + ' ms' : '') },
        { title: 'Source', render: (e) => e.sourceIpAddress },
      ], rows, 'No events match.', { id: 'audit-table' }));
    } catch (e) {
      clear(results);
      showError(e, results);
    }
  }

  await load(false);
}

function principal(id) {
  if (!id) return '';
  return id.type === 'root-account' ? 'root' : id.principalId;
}

/** acs:kms:cn-hangzhou:123:key/key-abc → key/key-abc (the full ARN is the cell's tooltip). */
function shortArn(arn) {
  if (!arn) return '';
  const parts = arn.split(':');
  return parts.length >= 5 ? parts.slice(4).join(':') : arn;
}
