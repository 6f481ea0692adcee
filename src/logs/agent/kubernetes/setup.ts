/**
 * @module
 * Builds the Kubernetes metadata filter the tail inputs share from the agent's `kubernetes:`
 * section: with API access (an explicit `api_server`, or in a cluster the service account
 * and `KUBERNETES_SERVICE_HOST`/`_PORT`) a watch-backed pod cache on top of the path's
 * metadata; without it, the path's metadata only, which is said once at start.
 */

import type { AgentKubernetesConfig } from '../../../config/agent.js';
import type { Logger } from '../../../lib/log/logger.js';
import {
  inClusterEndpoint,
  KubeClient,
  SERVICE_ACCOUNT_DIR,
  type ApiEndpoint,
} from '../../../metrics/discovery/kubernetes/client.js';
import type { Filter } from '../filters/filter.js';
import { KubernetesApiFilter } from '../filters/kubernetes-api.js';
import { KubernetesPathFilter } from '../filters/kubernetes-path.js';
import type { AgentMetrics } from '../metrics.js';
import { PodMetadataCache } from './metadata-cache.js';
import { annotationPatterns } from './pod-metadata.js';

export interface KubernetesMetadata {
  filter: Filter;
  /** Undefined when the API is not used. */
  cache: PodMetadataCache | undefined;
  client: KubeClient | undefined;
}

/**
 * @example
 * const k8s = kubernetesMetadata(config.kubernetes, 'node-a', metrics, log);
 * k8s.cache?.start();
 */
export function kubernetesMetadata(
  config: AgentKubernetesConfig,
  node: string,
  metrics: AgentMetrics,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  saDir = SERVICE_ACCOUNT_DIR,
): KubernetesMetadata {
  const pathOnly = { filter: new KubernetesPathFilter(node), cache: undefined, client: undefined };
  if (!config.api) return pathOnly;
  const k8sLog = log.child({ component: 'kubernetes' });
  let endpoint: ApiEndpoint;
  if (config.api_server !== undefined) {
    endpoint = { baseUrl: config.api_server.replace(/\/+$/, ''), options: config };
  } else if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT) {
    endpoint = inClusterEndpoint(env, saDir);
  } else {
    k8sLog.info(
      'no Kubernetes API: not in a cluster and kubernetes.api_server is not set; records get the metadata of their file paths only',
    );
    return pathOnly;
  }
  let client: KubeClient;
  try {
    client = new KubeClient(endpoint);
  } catch (err) {
    k8sLog.error(
      'cannot use the Kubernetes API; records get the metadata of their file paths only',
      {
        api_server: endpoint.baseUrl,
        err,
      },
    );
    return pathOnly;
  }
  const cache = new PodMetadataCache({
    client,
    node,
    fields: {
      labels: config.labels,
      annotations: annotationPatterns(config.annotations),
      dedot: config.dedot,
    },
    nodeLabels: config.node_labels,
    namespaceLabels: config.namespace_labels,
    maxPods: config.max_pods,
    deletedGraceMs: config.deleted_pod_grace,
    log: k8sLog,
    onEvict: () => metrics.kubernetesEvictions.inc(),
  });
  metrics.watchKubernetesCache(cache);
  const filter = new KubernetesApiFilter({
    cache,
    node,
    waitMs: config.wait_for_metadata,
    log: k8sLog,
    onMissing: () => metrics.kubernetesMissing.inc(),
  });
  k8sLog.info('pod metadata from the Kubernetes API', { api_server: endpoint.baseUrl, node });
  return { filter, cache, client };
}
