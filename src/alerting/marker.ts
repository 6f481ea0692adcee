/**
 * @module
 * What the Alertmanager last decided about each alert: which silences and which inhibiting
 * alerts mute it. `/api/v2/alerts` reports it as the alert's status; an alert no stage has
 * looked at yet is `unprocessed`.
 */

export type AlertState = 'unprocessed' | 'active' | 'suppressed';

export interface AlertStatus {
  state: AlertState;
  silencedBy: string[];
  inhibitedBy: string[];
}

export class Marker {
  readonly #status = new Map<string, { silencedBy: string[]; inhibitedBy: string[] }>();

  #entry(fp: string) {
    let e = this.#status.get(fp);
    if (e === undefined) {
      e = { silencedBy: [], inhibitedBy: [] };
      this.#status.set(fp, e);
    }
    return e;
  }

  /** Records the silences muting alert `fp` (none: not silenced). */
  setSilenced(fp: string, ids: string[]): void {
    this.#entry(fp).silencedBy = ids;
  }

  /** Records the fingerprints of the alerts inhibiting alert `fp` (none: not inhibited). */
  setInhibited(fp: string, by: string[]): void {
    this.#entry(fp).inhibitedBy = by;
  }

  /**
   * @example
   * marker.status(fp).state; // 'suppressed' while a silence matches it
   */
  status(fp: string): AlertStatus {
    const e = this.#status.get(fp);
    if (e === undefined) return { state: 'unprocessed', silencedBy: [], inhibitedBy: [] };
    const muted = e.silencedBy.length > 0 || e.inhibitedBy.length > 0;
    return {
      state: muted ? 'suppressed' : 'active',
      silencedBy: [...e.silencedBy],
      inhibitedBy: [...e.inhibitedBy],
    };
  }

  delete(fp: string): void {
    this.#status.delete(fp);
  }
}
