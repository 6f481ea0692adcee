/**
 * @module
 * Recognises the cgroups the kubelet creates for pods and their containers, from the path alone.
 * Two layouts exist, one per kubelet cgroup driver:
 *
 * - systemd: `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope`,
 *   where the pod UID has `_` in place of `-` (systemd unit names reserve `-` as a separator);
 * - cgroupfs: `/kubepods/burstable/pod<uid>/<id>`.
 *
 * Guaranteed pods sit directly under `kubepods` without a QoS level. The container scope's prefix
 * names the runtime (`cri-containerd-`, `crio-`, `docker-`, `cri-dockerd-`). Pod and container
 * names are not in the path; they need the API server and are joined on `pod_uid`/`container_id`
 * later.
 */

export interface KubernetesIds {
  podUid: string;
  /** Empty for the pod-level cgroup. */
  containerId: string;
}

const UID = /^[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}$/;
const SYSTEMD_POD = /^kubepods(?:-[a-z]+)?-pod(.+)\.slice$/;
const CGROUPFS_POD = /^pod(.+)$/;
const SCOPE = /^(?:[a-z-]+-)?([0-9a-f]{64})\.scope$/;
const CONTAINER_ID = /^[0-9a-f]{64}$/;

/**
 * The pod UID and container ID a cgroup path belongs to, or `undefined` outside kubepods.
 *
 * @example
 * kubernetesIds('/kubepods/besteffort/pod0f3c0b1e-5a43-4c8e-9c55-0d7b8f3a9e21/3f1c…');
 * // { podUid: '0f3c0b1e-5a43-4c8e-9c55-0d7b8f3a9e21', containerId: '3f1c…' }
 */
export function kubernetesIds(path: string): KubernetesIds | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'kubepods' && parts[0] !== 'kubepods.slice') return undefined;
  for (let i = 1; i < parts.length; i++) {
    const podUid = podUidOf(parts[i]!);
    if (podUid === undefined) continue;
    const next = parts[i + 1];
    const containerId =
      next === undefined ? '' : (next.match(SCOPE)?.[1] ?? (CONTAINER_ID.test(next) ? next : ''));
    return { podUid, containerId };
  }
  return undefined;
}

function podUidOf(part: string): string | undefined {
  const raw = part.match(SYSTEMD_POD)?.[1] ?? part.match(CGROUPFS_POD)?.[1];
  if (raw === undefined || !UID.test(raw)) return undefined;
  return raw.replaceAll('_', '-');
}
