/**
 * @module
 * "Connected agents": every `vigil agent` that shipped logs here in the last day, when it last
 * sent, how much, and how far behind it was then: the bytes in its buffer (the batch it was
 * sending included) and those in its files it had not read yet. A node that went quiet or fell
 * behind stands out.
 */
import type { AgentInfo } from '../../api/responseTypes/status';
import { Panel } from '../../components/Panel';
import { StateBadge, type Tone } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';
import { formatBytes } from '../../lib/formatBytes';
import { formatDuration } from '../../lib/formatDuration';
import type { PollState } from '../../state/usePoll';

/**
 * An agent sends at least every batch wait (1 s by default) while it has lines, and nothing
 * while idle, so silence alone is no fault; a minute of it is worth a look.
 */
const QUIET_AFTER_S = 60;

function freshness(agent: AgentInfo): Tone {
  return agent.secondsSinceLastSeen < QUIET_AFTER_S ? 'ok' : 'warn';
}

/**
 * @example
 * <AgentsPanel poll={usePoll(loadAgents, 5000)} />
 */
export function AgentsPanel({ poll }: { poll: PollState<AgentInfo[]> }) {
  return (
    <Panel title="Connected agents" poll={poll} wide>
      {(agents) =>
        agents.length === 0 ? (
          <p className="muted">
            No agent has shipped logs here in the last day. Agents report themselves on each batch
            they send to the native ingest API.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="agents">
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Version</th>
                  <th scope="col">Last seen</th>
                  <th scope="col" className="num">
                    Documents
                  </th>
                  <th scope="col" className="num">
                    Received
                  </th>
                  <th
                    scope="col"
                    className="num"
                    title="Bytes in the agent's buffer when it sent its latest batch, that batch included"
                  >
                    Buffered
                  </th>
                  <th
                    scope="col"
                    className="num"
                    title="Bytes in the files the agent follows not read yet, when it sent its latest batch"
                  >
                    Unread
                  </th>
                  <th scope="col">Index</th>
                  <th scope="col">From</th>
                </tr>
              </thead>
              <tbody>
                {agents.map((agent) => (
                  <tr key={agent.node} data-testid="agent-row" data-node={agent.node}>
                    <th scope="row">{agent.node}</th>
                    <td>{agent.version}</td>
                    <td data-testid="agent-last-seen">
                      <StateBadge tone={freshness(agent)}>
                        {formatDuration(agent.secondsSinceLastSeen * 1000)} ago
                      </StateBadge>{' '}
                      <Timestamp value={agent.lastSeen} />
                    </td>
                    <td className="num" data-testid="agent-docs">
                      {agent.documents.toLocaleString('en-US')}
                    </td>
                    <td className="num">{formatBytes(agent.bytes)}</td>
                    <td className="num">
                      {agent.bufferedBytes === null ? '' : formatBytes(agent.bufferedBytes)}
                    </td>
                    <td className="num" data-testid="agent-unread">
                      {agent.unreadBytes === null ? '' : formatBytes(agent.unreadBytes)}
                    </td>
                    <td>
                      <code>{agent.index}</code>
                    </td>
                    <td>
                      {agent.address}
                      {agent.principal === null ? '' : ` (${agent.principal})`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Panel>
  );
}
