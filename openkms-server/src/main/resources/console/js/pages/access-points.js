// Application access points and their client keys (the ClientKey JSON and its password are offered once).
import { call, items } from '../api.js';
import { button, checkbox, clear, download, guarded, h, header, input, loading, modal, notice, section, showError, table, when } from '../ui.js';

export async function render(view) {
  const aaps = h('div', {}, loading());
  const keys = h('div', {}, loading());
  view.append(
    header('Application access points', 'Applications authenticate with a client key and get what the access point\'s policies allow.',
      button('Create access point', create, 'primary', { id: 'create-aap' })),
    section('Access points', aaps),
    section('Client keys', keys));

  async function load() {
    try {
      const list = items(await call('ListApplicationAccessPoints', { PageSize: 100 }), 'ApplicationAccessPoints', 'ApplicationAccessPoint');
      clear(aaps).append(table([
        { title: 'Name', render: (a) => a.Name },
        { title: 'Description', render: (a) => h('span', { class: 'wrap' }, a.Description || '') },
        { title: '', render: (a) => button('Create client key', () => createClientKey(a.Name), 'link') },
      ], list, 'No access points yet.'));
      const ck = items(await call('ListClientKeys', {}), 'ClientKeys', 'ClientKey');
      clear(keys).append(table([
        { title: 'Client key', render: (k) => h('code', {}, k.ClientKeyId) },
        { title: 'Access point', render: (k) => k.AapName },
        { title: 'Not after', render: (k) => when(k.NotAfter) },
        { title: '', render: (k) => button('Delete', guarded(async () => { await call('DeleteClientKey', { ClientKeyId: k.ClientKeyId }); await load(); }, () => keys), 'link danger') },
      ], ck, 'No client keys.'));
    } catch (e) {
      showError(e, aaps);
    }
  }

  function create() {
    const keysOn = checkbox(true);
    const secretsOn = checkbox(true);
    modal('Create access point', [
      ['Name', 'Name', input({ placeholder: 'my-app' })],
      ['Keys', 'May use keys (CryptoServiceKeyUser)', keysOn],
      ['Secrets', 'May read secrets (CryptoServiceSecretUser)', secretsOn],
      ['Resources', 'Resources', input({ value: 'key/*, secret/*' })],
      ['Cidr', 'Allowed source addresses', input({ value: '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.1' })],
    ], 'Create', async (v) => {
      // A network rule, a permission policy using it, and the access point using the policy.
      const permissions = [];
      if (v.Keys) permissions.push('RbacPermission/Template/CryptoServiceKeyUser');
      if (v.Secrets) permissions.push('RbacPermission/Template/CryptoServiceSecretUser');
      const split = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
      await call('CreateNetworkRule', { Name: v.Name + '-network', Type: 'Private', SourcePrivateIp: split(v.Cidr) });
      await call('CreatePolicy', { Name: v.Name + '-policy', KmsInstance: 'shared', Permissions: permissions, Resources: split(v.Resources), AccessControlRules: { NetworkRules: [v.Name + '-network'] } });
      await call('CreateApplicationAccessPoint', { Name: v.Name, AuthenticationMethod: 'ClientKey', Policies: [v.Name + '-policy'] });
      await load();
    });
  }

  function createClientKey(aap) {
    modal(`New client key for ${aap}`, [], 'Create client key', async () => {
      const password = randomPassword();
      const r = await call('CreateClientKey', { AapName: aap, Password: password });
      // The file the Alibaba KMS instance SDK and Secrets Manager client read (clientKey_<id>.json), and its password.
      const file = JSON.stringify({ KeyId: r.ClientKeyId, PrivateKeyData: r.PrivateKeyData }, null, 2);
      notice('Client key created',
        h('p', {}, 'Download both files now: the private key and its password are not kept by the server and are shown this once.'),
        h('p', {}, h('code', {}, r.ClientKeyId)),
        h('div', { class: 'actions' },
          button('Download ClientKey JSON', () => download(`clientKey_${r.ClientKeyId}.json`, file), 'primary', { id: 'download-clientkey' }),
          button('Download password', () => download(`clientKey_${r.ClientKeyId}_Password.txt`, password, 'text/plain'), '', { id: 'download-password' })));
      await load();
    }, 'A key pair is made by the server; its password is made here, in the browser.');
  }

  await load();
}

function randomPassword() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('') + '-' + (bytes[0] % 10);
}
