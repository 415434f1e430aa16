// One key: DescribeKey, enable/disable, deletion and its cancellation, rotation policy, versions, aliases, tags and
// the key policy.
import { call, items } from '../api.js';
import { badge, button, checkbox, clear, facts, guarded, h, header, input, loading, modal, section, showError, table, textarea, toast, when } from '../ui.js';

export async function render(view, keyId) {
  const body = h('div', { class: 'stack' });
  view.append(body);

  async function load() {
    clear(body).append(loading());
    let k;
    try {
      k = (await call('DescribeKey', { KeyId: keyId })).KeyMetadata;
    } catch (e) {
      clear(body);
      showError(e, body);
      return;
    }
    const pending = k.KeyState === 'PendingDeletion';
    const actions = [];
    if (k.KeyState === 'Enabled') actions.push(button('Disable', guarded(() => state('DisableKey'), () => body), '', { id: 'disable-key' }));
    if (k.KeyState === 'Disabled') actions.push(button('Enable', guarded(() => state('EnableKey'), () => body), '', { id: 'enable-key' }));
    if (pending) actions.push(button('Cancel deletion', guarded(() => state('CancelKeyDeletion'), () => body), '', { id: 'cancel-deletion' }));
    else actions.push(button('Schedule deletion', scheduleDeletion, 'danger', { id: 'schedule-deletion' }));
    clear(body).append(
      header(k.KeyId, k.Description || 'No description', ...actions),
      section('Details', facts([
        ['State', badge(k.KeyState)],
        ['ARN', h('code', {}, k.Arn)],
        ['Key spec', k.KeySpec],
        ['Usage', k.KeyUsage],
        ['Origin', k.Origin],
        ['Protection level', k.ProtectionLevel],
        ['Created', when(k.CreationDate)],
        ['Creator', k.Creator],
        ['Primary version', k.PrimaryKeyVersion],
        ['Deletion protection', k.DeletionProtection],
        pending ? ['Deletion date', when(k.DeleteDate)] : null,
      ])),
      rotation(k),
      versions(),
      aliases(),
      tags(),
      policy());
  }

  async function state(action) {
    await call(action, { KeyId: keyId });
    toast(action.replace(/([a-z])([A-Z])/g, '$1 $2') + ': done');
    await load();
  }

  function scheduleDeletion() {
    modal('Schedule key deletion', [['PendingWindowInDays', 'Days before the key is deleted (7 to 366)', input({ value: '7', inputmode: 'numeric' })]], 'Schedule deletion', async (v) => {
      await call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: v.PendingWindowInDays });
      toast('Deletion scheduled');
      await load();
    }, 'Until then the key cannot be used, and the deletion can be cancelled.');
  }

  function rotation(k) {
    const on = k.AutomaticRotation === 'Enabled';
    const interval = k.RotationInterval ? Math.round(parseInt(k.RotationInterval, 10) / 86400) : 365;
    return section('Automatic rotation',
      facts([
        ['Automatic rotation', k.AutomaticRotation || 'Disabled'],
        ['Interval', k.RotationInterval ? interval + ' days' : '—'],
        ['Last rotation', when(k.LastRotationDate)],
        ['Next rotation', when(k.NextRotationDate)],
      ]),
      button('Change policy', () => {
        const enable = checkbox(on);
        modal('Rotation policy', [
          ['EnableAutomaticRotation', 'Rotate automatically', enable],
          ['RotationInterval', 'Interval (days, 7 to 365)', input({ value: String(interval), inputmode: 'numeric' })],
        ], 'Save', async (v) => {
          await call('UpdateRotationPolicy', {
            KeyId: keyId,
            EnableAutomaticRotation: v.EnableAutomaticRotation ? 'true' : 'false',
            RotationInterval: v.EnableAutomaticRotation ? Number(v.RotationInterval) * 86400 + 's' : undefined,
          });
          toast('Rotation policy saved');
          await load();
        });
      }, '', { id: 'rotation-policy' }));
  }

  function versions() {
    const box = h('div', {}, loading());
    call('ListKeyVersions', { KeyId: keyId, PageSize: 100 }).then((r) => {
      clear(box).append(table([
        { title: 'Version ID', render: (v) => h('code', {}, v.KeyVersionId) },
        { title: 'Created', render: (v) => when(v.CreationDate) },
      ], items(r, 'KeyVersions', 'KeyVersion')));
    }, (e) => { clear(box); showError(e, box); });
    return section('Versions', box, button('Create version', guarded(async () => {
      await call('CreateKeyVersion', { KeyId: keyId });
      toast('New version created');
      await load();
    }, () => box)));
  }

  function aliases() {
    const box = h('div', {}, loading());
    call('ListAliasesByKeyId', { KeyId: keyId, PageSize: 100 }).then((r) => {
      clear(box).append(table([
        { title: 'Alias', render: (a) => a.AliasName },
        { title: '', render: (a) => button('Delete', guarded(async () => { await call('DeleteAlias', { AliasName: a.AliasName }); await load(); }, () => box), 'link') },
      ], items(r, 'Aliases', 'Alias'), 'No aliases.'));
    }, (e) => { clear(box); showError(e, box); });
    return section('Aliases', box, button('Add alias', () => modal('Add alias', [['AliasName', 'Alias name', input({ placeholder: 'alias/my-app' })]], 'Add', async (v) => {
      const name = v.AliasName.startsWith('alias/') ? v.AliasName : 'alias/' + v.AliasName;
      await call('CreateAlias', { AliasName: name, KeyId: keyId });
      await load();
    })));
  }

  function tags() {
    const box = h('div', {}, loading());
    call('ListResourceTags', { KeyId: keyId }).then((r) => {
      clear(box).append(table([
        { title: 'Key', render: (t) => t.TagKey },
        { title: 'Value', render: (t) => t.TagValue },
        { title: '', render: (t) => button('Remove', guarded(async () => { await call('UntagResource', { KeyId: keyId, TagKeys: [t.TagKey] }); await load(); }, () => box), 'link') },
      ], items(r, 'Tags', 'Tag'), 'No tags.'));
    }, (e) => { clear(box); showError(e, box); });
    return section('Tags', box, button('Add tag', () => modal('Add tag', [['TagKey', 'Key', input()], ['TagValue', 'Value', input()]], 'Add', async (v) => {
      await call('TagResource', { KeyId: keyId, Tags: [{ TagKey: v.TagKey, TagValue: v.TagValue }] });
      await load();
    })));
  }

  function policy() {
    const text = textarea({ rows: 10, class: 'mono', id: 'key-policy' });
    const box = h('div', {}, text);
    call('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' }).then((r) => {
      try {
        text.value = JSON.stringify(JSON.parse(r.Policy), null, 2);
      } catch (e) {
        text.value = r.Policy || '';
      }
    }, (e) => showError(e, box));
    return section('Key policy', box, button('Save policy', guarded(async () => {
      await call('SetKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: text.value });
      toast('Key policy saved');
    }, () => box)));
  }

  await load();
}
