/**
 * @module
 * The rules tab: each rule group with its interval and last evaluation, and each rule with its
 * type, state (alerting rules), health, last evaluation, evaluation time, expression and error.
 */
import type { Rule, RuleGroup } from '../../api/responseTypes/rules';
import { Link } from '../../components/Link';
import { StateBadge, type Tone } from '../../components/StateBadge';
import { Timestamp } from '../../components/Timestamp';
import { formatExploreSearch, newPanel } from '../metrics/explore-url';

const STATE_TONE: Record<string, Tone> = { firing: 'bad', pending: 'warn', inactive: 'ok' };
const HEALTH_TONE: Record<string, Tone> = { ok: 'ok', err: 'bad', unknown: 'neutral' };

function evalTime(seconds: number): string {
  return seconds < 1 ? `${(seconds * 1000).toFixed(2)} ms` : `${seconds.toFixed(3)} s`;
}

function RuleRow({ rule }: { rule: Rule }) {
  return (
    <tr data-testid="rule-row" data-rule={rule.name}>
      <th scope="row">
        {rule.name}
        <div className="muted small">{rule.type}</div>
      </th>
      <td>
        {rule.type === 'alerting' ? (
          <StateBadge tone={STATE_TONE[rule.state] ?? 'neutral'} data-testid="rule-state">
            {rule.state}
            {rule.alerts.length > 0 && ` (${rule.alerts.length})`}
          </StateBadge>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>
        <StateBadge tone={HEALTH_TONE[rule.health] ?? 'neutral'}>{rule.health}</StateBadge>
        {rule.lastError && <div className="error-text small">{rule.lastError}</div>}
      </td>
      <td>
        {rule.lastEvaluation.startsWith('0001-') ? (
          <span className="muted">never</span>
        ) : (
          <Timestamp value={rule.lastEvaluation} />
        )}
        <div className="muted small">took {evalTime(rule.evaluationTime)}</div>
      </td>
      <td>
        <Link to={`/graph${formatExploreSearch([{ ...newPanel(rule.query), tab: 'table' }])}`}>
          <code>{rule.query}</code>
        </Link>
      </td>
    </tr>
  );
}

/**
 * @param props.groups the `/api/v1/rules` groups
 * @example
 * <RulesList groups={rules.groups} />
 */
export function RulesList({ groups }: { groups: readonly RuleGroup[] }) {
  if (groups.length === 0) {
    return (
      <div className="empty-state" data-testid="no-rules">
        <strong>No rules loaded</strong>
        List rule files under <code>rule_files</code> in the configuration.
      </div>
    );
  }
  return (
    <>
      {groups.map((group) => (
        <section key={`${group.file}/${group.name}`} className="panel pool">
          <h2 className="pool-head">
            <span>{group.name}</span>
            <span className="muted small">
              {group.file} · every {group.interval}s · last run{' '}
              {group.lastEvaluation.startsWith('0001-') ? (
                'never'
              ) : (
                <Timestamp value={group.lastEvaluation} />
              )}{' '}
              · took {evalTime(group.evaluationTime)}
            </span>
          </h2>
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>State</th>
                  <th>Health</th>
                  <th>Last evaluation</th>
                  <th>Expression</th>
                </tr>
              </thead>
              <tbody>
                {group.rules.map((rule) => (
                  <RuleRow key={`${rule.type}/${rule.name}/${rule.query}`} rule={rule} />
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
