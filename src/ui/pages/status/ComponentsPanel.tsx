/**
 * @module
 * "Components": whether the server is ready, and the lifecycle state of each part of it, so an
 * operator can see which part holds readiness back and why.
 */
import type { ComponentState, ComponentsStatus } from '../../api/responseTypes/status';
import { Panel } from '../../components/Panel';
import type { Tone } from '../../components/StateBadge';
import { StateBadge } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';
import type { PollState } from '../../state/usePoll';

const STATE_TONES: Record<ComponentState, Tone> = {
  running: 'ok',
  starting: 'warn',
  stopping: 'warn',
  stopped: 'neutral',
  failed: 'bad',
};

/**
 * @example
 * <ComponentsPanel poll={usePoll(loadComponents, 5000)} />
 */
export function ComponentsPanel({ poll }: { poll: PollState<ComponentsStatus> }) {
  return (
    <Panel
      title="Components"
      poll={poll}
      wide
      actions={(status) => (
        <dl className="ready">
          <dt>Server</dt>
          <dd data-testid="ready" data-ready={status.ready}>
            <StateBadge tone={status.ready ? 'ok' : 'bad'}>
              {status.ready ? 'Ready' : 'Not ready'}
            </StateBadge>
          </dd>
        </dl>
      )}
    >
      {(status) =>
        status.components.length === 0 ? (
          <p className="muted">The server reports no components.</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="components">
              <thead>
                <tr>
                  <th scope="col">Component</th>
                  <th scope="col">State</th>
                  <th scope="col">Since</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {status.components.map((component) => (
                  <tr
                    key={component.name}
                    data-testid="component-row"
                    data-component={component.name}
                  >
                    <th scope="row">{component.name}</th>
                    <td>
                      <StateBadge
                        // A state added by a newer server still renders, just without a colour.
                        tone={STATE_TONES[component.state] ?? 'neutral'}
                        data-testid="component-state"
                        data-state={component.state}
                      >
                        {component.state}
                      </StateBadge>
                    </td>
                    <td>
                      <Timestamp value={component.since} />
                    </td>
                    <td className="error-text">{component.error}</td>
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
