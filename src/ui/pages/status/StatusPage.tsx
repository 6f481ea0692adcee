/**
 * @module
 * The Status page (`/status`): build, runtime, component readiness, TSDB figures, log indices,
 * connected agents, flags and configuration of the server, refreshed every few seconds. Each endpoint is polled on its own, so one failing
 * endpoint does not blank the others.
 */
import { apiGet } from '../../api/client';
import type {
  AgentInfo,
  BuildInfo,
  ComponentsStatus,
  ConfigYaml,
  Flags,
  LogIndex,
  RuntimeInfo,
  TsdbStatus,
} from '../../api/responseTypes/status';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Timestamp } from '../../components/Timestamp';
import { usePoll } from '../../state/usePoll';
import { AgentsPanel } from './AgentsPanel';
import { BuildInfoPanel } from './BuildInfoPanel';
import { ComponentsPanel } from './ComponentsPanel';
import { ConfigPanel } from './ConfigPanel';
import { FlagsPanel } from './FlagsPanel';
import { LogIndicesPanel } from './LogIndicesPanel';
import { RuntimeInfoPanel } from './RuntimeInfoPanel';
import { TsdbPanel } from './TsdbPanel';

/** Often enough to watch a restart or a config reload happen, rare enough to cost nothing. */
const REFRESH_MS = 5000;

const loadBuildInfo = (signal: AbortSignal) => apiGet<BuildInfo>('/status/buildinfo', signal);
const loadRuntimeInfo = (signal: AbortSignal) => apiGet<RuntimeInfo>('/status/runtimeinfo', signal);
const loadComponents = (signal: AbortSignal) =>
  apiGet<ComponentsStatus>('/status/components', signal);
const loadFlags = (signal: AbortSignal) => apiGet<Flags>('/status/flags', signal);
const loadConfig = (signal: AbortSignal) => apiGet<ConfigYaml>('/status/config', signal);
const loadTsdb = (signal: AbortSignal) => apiGet<TsdbStatus>('/status/tsdb?limit=10', signal);
const loadIndices = (signal: AbortSignal) => apiGet<LogIndex[]>('/logs/indices', signal);
const loadAgents = (signal: AbortSignal) => apiGet<AgentInfo[]>('/status/agents', signal);

/**
 * @example
 * <StatusPage />
 */
export function StatusPage() {
  const buildInfo = usePoll(loadBuildInfo, REFRESH_MS);
  const runtimeInfo = usePoll(loadRuntimeInfo, REFRESH_MS);
  const components = usePoll(loadComponents, REFRESH_MS);
  const flags = usePoll(loadFlags, REFRESH_MS);
  const config = usePoll(loadConfig, REFRESH_MS);
  const tsdb = usePoll(loadTsdb, REFRESH_MS);
  const indices = usePoll(loadIndices, REFRESH_MS);
  const agents = usePoll(loadAgents, REFRESH_MS);
  const polls = [buildInfo, runtimeInfo, components, tsdb, indices, agents, flags, config];
  // The server's own clock at its latest answer: when the page last heard from the server.
  const lastUpdated = runtimeInfo.data?.serverTime;

  return (
    <>
      <div className="page-head">
        <h1>Status</h1>
        <p className="muted">
          Refreshes every {REFRESH_MS / 1000} s
          {lastUpdated !== undefined && (
            <>
              {' · last updated '}
              <span data-testid="last-updated">
                <Timestamp value={lastUpdated} />
              </span>
            </>
          )}
        </p>
      </div>
      <ErrorBanner errors={polls.map((poll) => poll.error)} />
      <div className="panel-grid">
        <BuildInfoPanel poll={buildInfo} />
        <RuntimeInfoPanel poll={runtimeInfo} />
        <ComponentsPanel poll={components} />
        <TsdbPanel poll={tsdb} />
        <LogIndicesPanel poll={indices} />
        <AgentsPanel poll={agents} />
        <FlagsPanel poll={flags} />
        <ConfigPanel poll={config} />
      </div>
    </>
  );
}
