/** Types for stdio.mjs (the drivers are plain JavaScript so the Chromium page can reuse `payload`). */
export declare function payload(size: number, seed: number): Uint8Array;
export declare function sha256(bytes: Uint8Array): string;
export declare function emit(ev: Record<string, unknown>): void;
export declare function serve(handlers: Record<string, (msg: Record<string, unknown>) => unknown>, onEnd?: () => void): void;
export declare function sleep(ms: number): Promise<void>;
