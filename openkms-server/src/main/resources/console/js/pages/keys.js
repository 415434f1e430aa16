// Keys: ListKeys with filters (KeyState, KeySpec, KeyUsage), each described; CreateKey.
import { call, items } from '../api.js';
import { badge, button, checkbox, clear, field, h, header, input, link, loading, modal, select, showError, table, when } from '../ui.js';

const STATES = ['', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport'];
export const SPECS = ['Aliyun_AES_256', 'Aliyun_AES_128', 'Aliyun_AES_192', 'Aliyun_SM4', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_P256', 'EC_P256K', 'EC_SM2', 'HMAC_SHA256'];
const USAGES = ['', 'ENCRYPT/DECRYPT', 'SIGN/VERIFY', 'GENERATE/VERIFY_MAC'];

export async function render(view) {
  const filters = { state: select('KeyState', STATES.map((s) => [s, s || 'Any state']), ''), spec: select('KeySpec', [['', 'Any spec'], ...SPECS.map((s) => [s, s])], ''), usage: select('KeyUsage', USAGES.map((u) => [u, u || 'Any usage']), '') };
  const list = h('div', { id: 'key-list' });
  view.append(
    header('Keys', 'Customer master keys of this account.', button('Create key', () => createKey(), 'primary', { id: 'create-key' })),
    h('div', { class: 'filters card' }, field('State', filters.state), field('Key spec', filters.spec), field('Usage', filters.usage)),
    list);
  for (const f of Object.values(filters)) f.addEventListener('change', load);

  async function load() {
    clear(list).append(loading());
    try {
      // KMS ListKeys Filters: [{"Key":"KeyState","Values":["Enabled"]}, ...]
      const f = [];
      if (filters.state.value) f.push({ Key: 'KeyState', Values: [filters.state.value] });
      if (filters.spec.value) f.push({ Key: 'KeySpec', Values: [filters.spec.value] });
      if (filters.usage.value) f.push({ Key: 'KeyUsage', Values: [filters.usage.value] });
      const r = await call('ListKeys', { PageSize: 100, Filters: f.length ? f : undefined });
      const keys = items(r, 'Keys', 'Key');
      const described = await Promise.all(keys.map((k) => call('DescribeKey', { KeyId: k.KeyId }).then((d) => d.KeyMetadata)));
      described.sort((a, b) => String(b.CreationDate).localeCompare(String(a.CreationDate)));
      clear(list).append(table([
        { title: 'Key ID', render: (k) => link('#/keys/' + encodeURIComponent(k.KeyId), k.KeyId) },
        { title: 'State', render: (k) => badge(k.KeyState) },
        { title: 'Spec', render: (k) => k.KeySpec },
        { title: 'Usage', render: (k) => k.KeyUsage },
        { title: 'Description', render: (k) => h('span', { class: 'wrap' }, k.Description || '') },
        { title: 'Created', render: (k) => when(k.CreationDate) },
      ], described, 'No keys match.', { id: 'keys-table' }));
    } catch (e) {
      clear(list);
      showError(e, list);
    }
  }

  function createKey() {
    const spec = select('KeySpec', SPECS, 'Aliyun_AES_256');
    const usage = select('KeyUsage', USAGES.slice(1), 'ENCRYPT/DECRYPT');
    const rotate = checkbox(false);
    modal('Create key', [
      ['KeySpec', 'Key spec', spec],
      ['KeyUsage', 'Usage', usage],
      ['Description', 'Description', input({ id: 'key-description', maxlength: 8192 })],
      ['EnableAutomaticRotation', 'Rotate automatically', rotate],
      ['RotationInterval', 'Rotation interval (days)', input({ value: '365', inputmode: 'numeric' }), 'Only for symmetric keys; 7 to 365 days.'],
    ], 'Create', async (v) => {
      const r = await call('CreateKey', {
        KeySpec: v.KeySpec,
        KeyUsage: v.KeyUsage,
        Description: v.Description,
        EnableAutomaticRotation: v.EnableAutomaticRotation ? 'true' : undefined,
        RotationInterval: v.EnableAutomaticRotation ? Number(v.RotationInterval) * 86400 + 's' : undefined,
      });
      location.hash = '#/keys/' + encodeURIComponent(r.KeyMetadata.KeyId);
    });
  }

  await load();
}
