// Secrets: ListSecrets and CreateSecret.
import { call, items } from '../api.js';
import { badge, button, clear, field, h, header, input, link, loading, modal, showError, table, textarea, when } from '../ui.js';

export async function render(view) {
  const filter = input({ placeholder: 'Filter by name', id: 'secret-filter' });
  const list = h('div', {});
  view.append(
    header('Secrets', 'Secrets Manager: values are encrypted under a key and fetched only when you ask.', button('Create secret', create, 'primary', { id: 'create-secret' })),
    h('div', { class: 'filters card' }, field('Name', filter)),
    list);
  let all = [];
  filter.addEventListener('input', show);

  function show() {
    const f = filter.value.trim().toLowerCase();
    clear(list).append(table([
      { title: 'Name', render: (s) => link('#/secrets/' + encodeURIComponent(s.SecretName), s.SecretName) },
      { title: 'Type', render: (s) => s.SecretType },
      { title: 'State', render: (s) => (s.PlannedDeleteTime ? badge('PendingDeletion') : badge('Active', 'enabled')) },
      { title: 'Created', render: (s) => when(s.CreateTime) },
      { title: 'Updated', render: (s) => when(s.UpdateTime) },
    ], all.filter((s) => !f || s.SecretName.toLowerCase().includes(f)), 'No secrets.', { id: 'secrets-table' }));
  }

  async function load() {
    clear(list).append(loading());
    try {
      all = items(await call('ListSecrets', { PageSize: 100 }), 'SecretList', 'Secret');
      show();
    } catch (e) {
      clear(list);
      showError(e, list);
    }
  }

  function create() {
    modal('Create secret', [
      ['SecretName', 'Name', input({ id: 'secret-name' })],
      ['SecretData', 'Value', textarea({ rows: 4, id: 'secret-value', class: 'mono' })],
      ['EncryptionKeyId', 'Encryption key (KeyId or alias; empty: a key of the service)', input({ placeholder: 'alias/…' })],
      ['Description', 'Description', input()],
    ], 'Create', async (v) => {
      await call('CreateSecret', {
        SecretName: v.SecretName,
        SecretData: v.SecretData,
        SecretDataType: 'text',
        VersionId: 'v1',
        EncryptionKeyId: v.EncryptionKeyId,
        Description: v.Description,
      });
      location.hash = '#/secrets/' + encodeURIComponent(v.SecretName);
    }, 'The first version is v1, labelled ACSCurrent.');
  }

  await load();
}
