/**
 * @module
 * The parts of a running process (HTTP listener, stores, scrapers, agent…) as components that
 * start in order and stop in reverse, with their state kept for `/-/ready` and the Status page.
 * The process is ready only when every component is running; one failed start stops the ones
 * already started and fails the whole start.
 */

/** A part of the process with a lifetime. `start` and `stop` are each called at most once. */
export interface Component {
  readonly name: string;
  /** Resolves when the component serves; rejects if it cannot start. */
  start(): Promise<void>;
  /** Finishes in-flight work (flush, close files) and releases resources. */
  stop(): Promise<void>;
}

export type ComponentState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface ComponentStatus {
  name: string;
  state: ComponentState;
  /** When the component entered this state, ms since the epoch. */
  since: number;
  error?: string;
}

export class Components {
  readonly #list: Component[] = [];
  readonly #status = new Map<string, ComponentStatus>();

  /**
   * Adds a component; names are unique.
   *
   * @example
   * components.add({ name: 'http', start: () => server.listen(), stop: () => server.close() });
   */
  add(component: Component): void {
    if (this.#status.has(component.name)) {
      throw new Error(`cannot add component: duplicate name ${JSON.stringify(component.name)}`);
    }
    this.#list.push(component);
    this.#set(component.name, 'stopped');
  }

  /** Starts every component in the order added; on a failure, stops those started and rethrows. */
  async startAll(): Promise<void> {
    for (const c of this.#list) {
      this.#set(c.name, 'starting');
      try {
        await c.start();
      } catch (err) {
        this.#set(c.name, 'failed', err);
        await this.stopAll();
        throw new Error(`cannot start component ${c.name}`, { cause: err });
      }
      this.#set(c.name, 'running');
    }
  }

  /** Stops running components in reverse order; a failing stop is recorded and the rest go on. */
  async stopAll(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const c of [...this.#list].reverse()) {
      if (this.#status.get(c.name)?.state !== 'running') continue;
      this.#set(c.name, 'stopping');
      try {
        await c.stop();
        this.#set(c.name, 'stopped');
      } catch (err) {
        this.#set(c.name, 'failed', err);
        errors.push(new Error(`cannot stop component ${c.name}`, { cause: err }));
      }
    }
    return errors;
  }

  /** True when there is at least one component and all are running. */
  get ready(): boolean {
    if (this.#list.length === 0) return false;
    for (const s of this.#status.values()) if (s.state !== 'running') return false;
    return true;
  }

  /** The state of each component, in start order. */
  status(): ComponentStatus[] {
    return this.#list.map((c) => ({ ...this.#status.get(c.name)! }));
  }

  #set(name: string, state: ComponentState, err?: unknown): void {
    const status: ComponentStatus = { name, state, since: Date.now() };
    if (err !== undefined) status.error = err instanceof Error ? err.message : String(err);
    this.#status.set(name, status);
  }
}
