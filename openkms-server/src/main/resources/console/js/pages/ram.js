// RAM users, their AccessKeys and policies (RAM API 2015-05-01).
import { call, items, RAM } from '../api.js';
import { button, clear, download, guarded, h, header, input, loading, modal, notice, section, select, showError, table, textarea, toast, when } from '../ui.js';

const EXAMPLE = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], Resource: ['acs:kms:*:*:key/*'] }] }, null, 2);

export async function render(view) {
  const users = h('div', {}, loading());
  const policies = h('div', {}, loading());
  view.append(
    header('RAM users & policies', 'Identities that call this server, and what they may do.'),
    section('Users', users, button('Create user', createUser, 'primary', { id: 'create-user' })),
    section('Policies', policies, button('Create policy', createPolicy, '', { id: 'create-policy' })));

  async function load() {
    try {
      const u = items(await call('ListUsers', { MaxItems: 1000 }, RAM), 'Users', 'User');
      clear(users).append(table([
        { title: 'User', render: (x) => x.UserName },
        { title: 'Display name', render: (x) => x.DisplayName || '' },
        { title: 'Created', render: (x) => when(x.CreateDate) },
        { title: '', render: (x) => h('span', { class: 'row-actions' },
          button('Policies', () => userPolicies(x.UserName), 'link'),
          button('AccessKeys', () => accessKeys(x.UserName), 'link'),
          button('Delete', guarded(async () => { await call('DeleteUser', { UserName: x.UserName }, RAM); await load(); }, () => users), 'link danger')) },
      ], u, 'No RAM users yet.'));
    } catch (e) {
      clear(users);
      showError(e, users);
    }
    try {
      const p = items(await call('ListPolicies', { MaxItems: 1000 }, RAM), 'Policies', 'Policy');
      clear(policies).append(table([
        { title: 'Policy', render: (x) => x.PolicyName },
        { title: 'Type', render: (x) => x.PolicyType },
        { title: 'Description', render: (x) => h('span', { class: 'wrap' }, x.Description || '') },
      ], p, 'No policies.'));
    } catch (e) {
      clear(policies);
      showError(e, policies);
    }
  }

  function createUser() {
    modal('Create RAM user', [['UserName', 'User name', input()], ['DisplayName', 'Display name', input()]], 'Create', async (v) => {
      await call('CreateUser', { UserName: v.UserName, DisplayName: v.DisplayName }, RAM);
      toast('User created');
      await load();
    });
  }

  function createPolicy() {
    modal('Create policy', [
      ['PolicyName', 'Name', input()],
      ['Description', 'Description', input()],
      ['PolicyDocument', 'Document', textarea({ rows: 12, class: 'mono' }, EXAMPLE)],
    ], 'Create', async (v) => {
      await call('CreatePolicy', v, RAM);
      toast('Policy created');
      await load();
    });
  }

  async function userPolicies(user) {
    const attached = items(await call('ListPoliciesForUser', { UserName: user }, RAM), 'Policies', 'Policy');
    const all = items(await call('ListPolicies', { MaxItems: 1000 }, RAM), 'Policies', 'Policy');
    const pick = select('Policy', all.map((p) => [p.PolicyType + ':' + p.PolicyName, `${p.PolicyName} (${p.PolicyType})`]));
    modal(`Policies of ${user}`, [['Policy', 'Attach a policy', pick]], 'Attach', async (v) => {
      const [type, name] = v.Policy.split(/:(.*)/);
      await call('AttachPolicyToUser', { UserName: user, PolicyType: type, PolicyName: name }, RAM);
      toast('Policy attached');
    }, attached.length ? 'Attached: ' + attached.map((p) => p.PolicyName).join(', ') : 'No policy attached yet.');
  }

  async function accessKeys(user) {
    const keys = items(await call('ListAccessKeys', { UserName: user }, RAM), 'AccessKeys', 'AccessKey');
    modal(`AccessKeys of ${user}`, [], 'Create AccessKey', async () => {
      const r = await call('CreateAccessKey', { UserName: user }, RAM);
      const ak = r.AccessKey;
      notice('New AccessKey',
        h('p', {}, 'The secret is shown this once. Keep it now.'),
        h('pre', { class: 'mono' }, `AccessKeyId:     ${ak.AccessKeyId}\nAccessKeySecret: ${ak.AccessKeySecret}`),
        button('Download', () => download(`accesskey-${ak.AccessKeyId}.json`, JSON.stringify({ AccessKeyId: ak.AccessKeyId, AccessKeySecret: ak.AccessKeySecret }, null, 2))));
    }, keys.length ? keys.map((k) => `${k.AccessKeyId} (${k.Status})`).join(', ') : 'No AccessKeys.');
  }

  await load();
}
