/**
 * Godot-style signals: `connect('session_description_created', fn)`. Names and argument order are
 * Godot's. Emission is queued by the owner and happens only inside `poll()` (webrtc-native model).
 */
import { GodotError } from './godot-errors.js';
import type { GodotErrorCode } from './godot-errors.js';

type Handler = (...args: never[]) => void;

export class SignalSet<S extends { [K in keyof S]: Handler }> {
  private readonly handlers = new Map<keyof S, Handler[]>();

  /** Like Godot's Object.connect: ERR_INVALID_PARAMETER when this callable is already connected. */
  connect<K extends keyof S>(signal: K, fn: S[K]): GodotErrorCode {
    const list = this.handlers.get(signal) ?? [];
    if (list.includes(fn)) return GodotError.ERR_INVALID_PARAMETER;
    list.push(fn);
    this.handlers.set(signal, list);
    return GodotError.OK;
  }

  disconnect<K extends keyof S>(signal: K, fn: S[K]): void {
    const list = this.handlers.get(signal);
    const i = list?.indexOf(fn) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  isConnected<K extends keyof S>(signal: K, fn: S[K]): boolean {
    return this.handlers.get(signal)?.includes(fn) ?? false;
  }

  emit<K extends keyof S>(signal: K, ...args: Parameters<S[K]>): void {
    const fns = [...(this.handlers.get(signal) ?? [])];
    for (let i = 0; i < fns.length; i++) (fns[i] as (...a: Parameters<S[K]>) => void)(...args);
  }
}
