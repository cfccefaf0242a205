import { createLogger, formatLogRecord, type LogLevel, type Logger } from '../core/logger.js';

/** A logger printing to stderr, for applications and debugging (`RTCPEER_LOG=debug`). */
export function consoleLogger(minLevel: LogLevel = 'info'): Logger {
  return createLogger((r) => process.stderr.write(`[rtcpeer] ${formatLogRecord(r)}\n`), minLevel);
}

/** Logger from the RTCPEER_LOG environment variable (unset: warnings and errors only). */
export function envLogger(): Logger {
  const v = process.env['RTCPEER_LOG'];
  const levels: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];
  const level = levels.find((l) => l === v) ?? 'warn';
  return consoleLogger(level);
}
