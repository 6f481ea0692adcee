/**
 * @module
 * Shapes of `/api/v1/rules` and `/api/v1/alerts`, as on the wire (Prometheus' shapes).
 */

/** State of an alerting rule or of one of its alerts. */
export type AlertState = 'inactive' | 'pending' | 'firing';

/** An alert a rule produced. */
export interface RuleAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  activeAt?: string;
  keepFiringSince?: string;
  /** The value that made it fire, as a string (`"4.2e+01"`). */
  value: string;
}

interface RuleCommon {
  name: string;
  query: string;
  labels?: Record<string, string>;
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  /** Seconds. */
  evaluationTime: number;
  /** RFC 3339. */
  lastEvaluation: string;
}

export interface AlertingRule extends RuleCommon {
  type: 'alerting';
  state: AlertState;
  /** `for`, seconds. */
  duration: number;
  keepFiringFor?: number;
  annotations: Record<string, string>;
  alerts: RuleAlert[];
}

export interface RecordingRule extends RuleCommon {
  type: 'recording';
}

export type Rule = AlertingRule | RecordingRule;

export interface RuleGroup {
  name: string;
  file: string;
  rules: Rule[];
  /** Seconds. */
  interval: number;
  evaluationTime: number;
  lastEvaluation: string;
}

export interface RulesData {
  groups: RuleGroup[];
}

export interface AlertsData {
  alerts: RuleAlert[];
}
