/**
 * @module
 * Kubernetes service discovery (`kubernetes_sd_configs`): targets from the Kubernetes API for
 * the roles node, pod, service, endpoints, endpointslice and ingress, labelled as Prometheus
 * labels them.
 */

export { kubernetesSdConfigSchema } from './config.js';
export type { KubernetesSdConfig } from './config.js';
export { kubernetesDiscoverer } from './discoverer.js';
