/**
 * @module
 * "Configuration": the configuration as the server loaded it, defaults filled in, which can differ
 * from the file on disk when a reload failed.
 */
import type { ConfigYaml } from '../../api/responseTypes/status';
import { Panel } from '../../components/Panel';
import type { PollState } from '../../state/usePoll';

/**
 * @example
 * <ConfigPanel poll={usePoll(loadConfig, 5000)} />
 */
export function ConfigPanel({ poll }: { poll: PollState<ConfigYaml> }) {
  return (
    <Panel title="Configuration" poll={poll} wide>
      {(config) => (
        <pre className="code-block" data-testid="config-yaml">
          <code>{config.yaml}</code>
        </pre>
      )}
    </Panel>
  );
}
