/**
 * @module
 * "Runtime information": the running process — how long it has been up, where it runs, and
 * whether its configuration loaded.
 */
import type { RuntimeInfo } from '../../api/responseTypes/status';
import { KeyValueList } from '../../components/KeyValueList';
import { Panel } from '../../components/Panel';
import { StateBadge } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';
import type { PollState } from '../../state/usePoll';
import { Uptime } from './Uptime';

/**
 * @example
 * <RuntimeInfoPanel poll={usePoll(loadRuntimeInfo, 5000)} />
 */
export function RuntimeInfoPanel({ poll }: { poll: PollState<RuntimeInfo> }) {
  return (
    <Panel title="Runtime information" poll={poll}>
      {(info, receivedAt) => (
        <KeyValueList
          rows={[
            {
              label: 'Uptime',
              testId: 'uptime',
              value: (
                <Uptime
                  startTime={info.startTime}
                  serverTime={info.serverTime}
                  receivedAt={receivedAt}
                />
              ),
            },
            {
              label: 'Start time',
              testId: 'start-time',
              value: <Timestamp value={info.startTime} />,
            },
            { label: 'Hostname', testId: 'hostname', value: info.hostname },
            { label: 'PID', testId: 'pid', value: info.pid },
            { label: 'Working directory', testId: 'cwd', value: <code>{info.CWD}</code> },
            { label: 'Data directory', testId: 'data-dir', value: <code>{info.dataDir}</code> },
            {
              label: 'Configuration file',
              testId: 'config-file',
              value:
                info.configFile === null ? (
                  <span className="muted">none (built-in defaults)</span>
                ) : (
                  <code>{info.configFile}</code>
                ),
            },
            {
              label: 'Last configuration load',
              testId: 'reload-config-success',
              value: info.reloadConfigSuccess ? (
                <StateBadge tone="ok">successful</StateBadge>
              ) : (
                <StateBadge tone="bad">failed</StateBadge>
              ),
            },
            {
              label: 'Last configuration time',
              testId: 'last-config-time',
              value: <Timestamp value={info.lastConfigTime} />,
            },
          ]}
        />
      )}
    </Panel>
  );
}
