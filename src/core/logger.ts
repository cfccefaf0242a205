/**
 * Structured, levelled logging, silent by default. Cores receive a Logger; they never call console.
 * Fields are plain data (`{ layer: 'sctp', tsn: 12 }`) so a sink can print or collect them.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

export type LogFields = Readonly<Record<string, unknown>>;

export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields;
}

export interface Logger {
  /** Cheap check before building expensive fields. */
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record. */
  child(fields: LogFields): Logger;
}

export type LogSink = (record: LogRecord) => void;

/** A logger writing records at or above `minLevel` to `sink`. */
export function createLogger(sink: LogSink, minLevel: LogLevel = 'info', base: LogFields = {}): Logger {
  const min = LOG_LEVELS[minLevel];
  return {
    enabled: (level) => LOG_LEVELS[level] >= min,
    log(level, msg, fields) {
      if (LOG_LEVELS[level] < min) return;
      // Object.assign, not spreads: a child logger is made per layer per connection, and V8's spread
      // is its slow path in the interpreter (issue 6)
      sink({ level, msg, fields: fields ? Object.assign({}, base, fields) : base });
    },
    child: (fields) => createLogger(sink, minLevel, Object.assign({}, base, fields)),
  };
}

/** The default: drops everything. */
export const silentLogger: Logger = {
  enabled: () => false,
  log: () => undefined,
  child: () => silentLogger,
};

/** Formats a record as one line: `warn ice: check failed pair=… code=401`. */
export function formatLogRecord(r: LogRecord): string {
  const { layer, ...rest } = r.fields as Record<string, unknown>;
  const tail = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, bigintSafe)}`)
    .join(' ');
  return `${r.level} ${layer === undefined ? '' : `${String(layer)}: `}${r.msg}${tail ? ` ${tail}` : ''}`;
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
