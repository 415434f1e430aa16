// The KMS instance this server is, and its CA (GetKmsInstance CaCertificateChainPem), which instance clients trust.
import { call, items } from '../api.js';
import { button, download, facts, h, header, section, when } from '../ui.js';

export async function render(view) {
  const list = items(await call('ListKmsInstances', { PageSize: 100 }), 'KmsInstances', 'KmsInstance');
  if (!list.length) {
    view.append(header('Instance CA'), h('p', { class: 'muted' }, 'No KMS instance.'));
    return;
  }
  const id = list[0].KmsInstanceId;
  const inst = (await call('GetKmsInstance', { KmsInstanceId: id })).KmsInstance || {};
  const pem = inst.CaCertificateChainPem || '';
  view.append(
    header('Instance CA', 'Clients of the instance gateway (KMS Instance SDK) verify its certificate with this CA.',
      button('Download CA (PEM)', () => download(`PrivateKmsCA_${id}.pem`, pem, 'application/x-pem-file'), 'primary', { id: 'download-ca' })),
    section('Instance', facts([
      ['Instance ID', h('code', {}, id)],
      ['Status', inst.Status],
      ['Name', inst.InstanceName],
      ['Endpoint', inst.InstanceEndpoint],
      ['Created', when(inst.CreateTime || inst.StartDate)],
    ])),
    section('CA certificate chain', h('pre', { class: 'mono pem', id: 'instance-ca' }, pem)));
}
