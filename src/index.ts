/**
 * rtcpeer: the public surface. Everything a user imports comes from here.
 */
export type { Addr, Datagram, Millis, SansIo, SansIoLayer } from './core/types.js';
export { RtcError, UsageError, ProtocolError, ParseError, InternalError, isRtcError } from './core/errors.js';
export { createLogger, silentLogger, formatLogRecord } from './core/logger.js';
export type { Logger, LogLevel, LogRecord, LogFields } from './core/logger.js';
export { SeededRng } from './core/rng.js';
export type { Rng } from './core/rng.js';
export { consoleLogger } from './io/console-log.js';
