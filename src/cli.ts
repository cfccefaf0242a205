#!/usr/bin/env node
/**
 * The `rtcpeer` command.
 *
 *   rtcpeer signal [--port 9080] [--host <address>] [--verbose]
 *       Runs the Godot demo signaling server (godot-demo-projects networking/webrtc_signaling).
 */
import { consoleLogger } from './io/console-log.js';
import { startSignalingServer } from './signaling/server.js';

const USAGE = `usage: rtcpeer signal [--port 9080] [--host <address>] [--verbose]

  signal   WebSocket signaling server compatible with Godot's webrtc_signaling demo
           (lobbies, mesh or client/server, SEAL); Ctrl-C stops it.
`;

interface SignalArgs {
  readonly port: number;
  readonly host: string | undefined;
  readonly verbose: boolean;
}

/** Parses `signal` arguments; a string is an error message. */
export function parseSignalArgs(argv: readonly string[]): SignalArgs | string {
  let port = 9080;
  let host: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--verbose' || arg === '-v') verbose = true;
    else if ((arg === '--port' || arg === '-p') && value !== undefined) {
      port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `bad port: ${value}`;
      i++;
    } else if (arg === '--host' && value !== undefined) {
      host = value;
      i++;
    } else return `unknown argument: ${arg ?? ''}`;
  }
  return { port, host, verbose };
}

async function signal(argv: readonly string[]): Promise<number> {
  const args = parseSignalArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}`);
    return 2;
  }
  const server = await startSignalingServer({
    port: args.port,
    ...(args.host === undefined ? {} : { host: args.host }),
    logger: consoleLogger(args.verbose ? 'debug' : 'info'),
  });
  process.stdout.write(`rtcpeer signaling server listening on ws://${args.host ?? 'localhost'}:${server.port}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'signal') return signal(rest);
  process.stderr.write(command === undefined || command === '--help' || command === '-h' ? USAGE : `unknown command: ${command}\n${USAGE}`);
  return command === '--help' || command === '-h' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`rtcpeer: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
