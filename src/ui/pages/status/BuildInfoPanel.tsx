/**
 * @module
 * "Build information": which Vigil binary is running, for bug reports and upgrade checks.
 */
import type { BuildInfo } from '../../api/responseTypes/status';
import { KeyValueList } from '../../components/KeyValueList';
import { Panel } from '../../components/Panel';
import type { PollState } from '../../state/usePoll';

/**
 * @example
 * <BuildInfoPanel poll={usePoll(loadBuildInfo, 5000)} />
 */
export function BuildInfoPanel({ poll }: { poll: PollState<BuildInfo> }) {
  return (
    <Panel title="Build information" poll={poll}>
      {(info) => (
        <KeyValueList
          rows={[
            { label: 'Version', testId: 'version', value: info.version },
            { label: 'Revision', testId: 'revision', value: <code>{info.revision}</code> },
            { label: 'Branch', testId: 'branch', value: info.branch },
            { label: 'Build user', testId: 'build-user', value: info.buildUser },
            { label: 'Build date', testId: 'build-date', value: info.buildDate },
            { label: 'Node.js version', testId: 'node-version', value: info.nodeVersion },
          ]}
        />
      )}
    </Panel>
  );
}
