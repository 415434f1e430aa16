// One secret: DescribeSecret, its value (fetched only on click), versions and stages, new values, rotation,
// deletion and restore.
import { call, items } from '../api.js';
import { badge, button, clear, facts, guarded, h, header, input, loading, modal, section, showError, table, textarea, toast, when } from '../ui.js';

export async function render(view, name) {
  const body = h('div', { class: 'stack' });
  view.append(body);

  async function load() {
    clear(body).append(loading());
    let s;
    try {
      s = await call('DescribeSecret', { SecretName: name });
    } catch (e) {
      clear(body);
      showError(e, body);
      return;
    }
    const pending = Boolean(s.PlannedDeleteTime);
    const generic = !s.SecretType || s.SecretType === 'Generic';
    const actions = [button('Rotate', generic ? putValue : rotate, '', { id: 'rotate-secret' })];
    actions.push(pending
      ? button('Restore', guarded(async () => { await call('RestoreSecret', { SecretName: name }); toast('Secret restored'); await load(); }, () => body), '', { id: 'restore-secret' })
      : button('Delete', remove, 'danger', { id: 'delete-secret' }));
    clear(body).append(
      header(s.SecretName, s.Description || 'No description', ...actions),
      section('Details', facts([
        ['State', pending ? badge('PendingDeletion') : badge('Active', 'enabled')],
        ['ARN', h('code', {}, s.Arn)],
        ['Type', s.SecretType],
        ['Encryption key', s.EncryptionKeyId],
        ['Created', when(s.CreateTime)],
        ['Updated', when(s.UpdateTime)],
        ['Automatic rotation', s.AutomaticRotation],
        pending ? ['Deletion date', when(s.PlannedDeleteTime)] : null,
      ])),
      value(),
      versions());
  }

  function value() {
    const out = h('pre', { class: 'secret-value', id: 'secret-value-shown', hidden: true });
    const reveal = button('Reveal value', guarded(async () => {
      if (!out.hidden) {
        out.hidden = true;
        out.textContent = '';
        reveal.textContent = 'Reveal value';
        return;
      }
      const r = await call('GetSecretValue', { SecretName: name });
      out.textContent = r.SecretData;
      out.hidden = false;
      reveal.textContent = 'Hide value';
    }, () => box), '', { id: 'reveal-secret' });
    const box = h('div', {}, h('p', { class: 'muted' }, 'The value (ACSCurrent) is fetched with GetSecretValue only when you ask; the call is audited.'), reveal, out);
    return section('Value', box);
  }

  function versions() {
    const box = h('div', {}, loading());
    call('ListSecretVersionIds', { SecretName: name, IncludeDeprecated: 'true', PageSize: 100 }).then((r) => {
      clear(box).append(table([
        { title: 'Version ID', render: (v) => h('code', {}, v.VersionId) },
        { title: 'Stages', render: (v) => items(v, 'VersionStages', 'VersionStage').map((st) => badge(st, 'stage')) },
        { title: 'Created', render: (v) => when(v.CreateTime) },
      ], items(r, 'VersionIds', 'VersionId'), 'No versions.', { id: 'secret-versions' }));
    }, (e) => { clear(box); showError(e, box); });
    return section('Versions and stages', box, button('Put new value', putValue, '', { id: 'put-value' }));
  }

  function putValue() {
    const id = 'v' + new Date().toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
    modal('New secret value', [
      ['VersionId', 'Version ID', input({ value: id })],
      ['SecretData', 'Value', textarea({ rows: 4, class: 'mono', id: 'new-secret-value' })],
    ], 'Store', async (v) => {
      await call('PutSecretValue', { SecretName: name, VersionId: v.VersionId, SecretData: v.SecretData, SecretDataType: 'text' });
      toast('New version ' + v.VersionId + ' is ACSCurrent');
      await load();
    }, 'Rotating a generic secret stores a new version: it becomes ACSCurrent and the previous one ACSPrevious.');
  }

  function rotate() {
    modal('Rotate secret', [['VersionId', 'New version ID', input({ value: 'v' + Date.now() })]], 'Rotate', async (v) => {
      await call('RotateSecret', { SecretName: name, VersionId: v.VersionId });
      toast('Rotated');
      await load();
    });
  }

  function remove() {
    modal('Delete secret', [['RecoveryWindowInDays', 'Recovery window (days, 7 to 30)', input({ value: '30', inputmode: 'numeric' })]], 'Schedule deletion', async (v) => {
      await call('DeleteSecret', { SecretName: name, RecoveryWindowInDays: v.RecoveryWindowInDays });
      toast('Deletion scheduled; it can be restored until then');
      await load();
    });
  }

  await load();
}
