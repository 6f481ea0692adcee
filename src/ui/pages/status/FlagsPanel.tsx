/**
 * @module
 * "Command-line flags": every flag with the value the server runs with, defaults included, so a
 * surprising behaviour can be traced to its setting.
 */
import type { Flags } from '../../api/responseTypes/status';
import { Panel } from '../../components/Panel';
import type { PollState } from '../../state/usePoll';

/**
 * @example
 * <FlagsPanel poll={usePoll(loadFlags, 5000)} />
 */
export function FlagsPanel({ poll }: { poll: PollState<Flags> }) {
  return (
    <Panel title="Command-line flags" poll={poll} wide>
      {(flags) => {
        const names = Object.keys(flags).sort();
        if (names.length === 0) return <p className="muted">The server reports no flags.</p>;
        return (
          <div className="table-scroll">
            <table className="table" data-testid="flags">
              <thead>
                <tr>
                  <th scope="col">Flag</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {names.map((name) => (
                  <tr key={name} data-flag={name}>
                    <th scope="row">
                      <code>{name}</code>
                    </th>
                    <td>
                      {flags[name] === '' ? (
                        <span className="muted">empty</span>
                      ) : (
                        <code>{flags[name]}</code>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      }}
    </Panel>
  );
}
