import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubernetesIds, type KubernetesIds } from './kubernetes.js';

const UID = '0f3c0b1e-5a43-4c8e-9c55-0d7b8f3a9e21';
const CID = '3f1c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708';

function f(path: string, expected: KubernetesIds | undefined): void {
  assert.deepEqual(kubernetesIds(path), expected, path);
}

test('systemd driver: pod UID with underscores, runtime-prefixed scopes', () => {
  const pod = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice`;
  f(pod, { podUid: UID, containerId: '' });
  f(`${pod}/cri-containerd-${CID}.scope`, { podUid: UID, containerId: CID });
  f(`${pod}/crio-${CID}.scope`, { podUid: UID, containerId: CID });
  f(`${pod}/docker-${CID}.scope`, { podUid: UID, containerId: CID });
  f(`/kubepods.slice/kubepods-pod${UID.replaceAll('-', '_')}.slice/cri-containerd-${CID}.scope`, {
    podUid: UID,
    containerId: CID,
  });
});

test('cgroupfs driver: QoS level optional, bare container ID', () => {
  f(`/kubepods/besteffort/pod${UID}`, { podUid: UID, containerId: '' });
  f(`/kubepods/besteffort/pod${UID}/${CID}`, { podUid: UID, containerId: CID });
  f(`/kubepods/pod${UID}/${CID}`, { podUid: UID, containerId: CID });
});

test('not a pod: QoS slices, other trees, malformed UIDs', () => {
  f('/', undefined);
  f('/kubepods.slice', undefined);
  f('/kubepods.slice/kubepods-burstable.slice', undefined);
  f('/system.slice/containerd.service', undefined);
  f(`/user.slice/pod${UID}`, undefined);
  f('/kubepods/besteffort/podnot-a-uid', undefined);
});
