type Listener = (...args: readonly unknown[]) => void;

/**
 * A small typed event emitter (Godot-signal style: `on` returns a disconnect function). Listeners run
 * in registration order; one that throws does not stop the others, its error goes to `onError`.
 */
export class Emitter<Events extends { [K in keyof Events]: readonly unknown[] }> {
  private readonly listeners = new Map<keyof Events, Set<Listener>>();

  constructor(private readonly onError: (err: unknown) => void = () => undefined) {}

  on<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = fn as unknown as Listener;
    set.add(l);
    return () => set.delete(l);
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): void {
    for (const fn of [...(this.listeners.get(event) ?? [])]) {
      try {
        fn(...args);
      } catch (err: unknown) {
        this.onError(err);
      }
    }
  }
}
