/**
 * The signaling protocol of godot-demo-projects `networking/webrtc_signaling` (server_node/server.js,
 * server/ws_webrtc_server.gd, client/ws_webrtc_client.gd): WebSocket text frames, each one JSON object
 *
 *   {"type": <int>, "id": <int>, "data": <string>}
 *
 * | type | name            | client → server                  | server → client                    |
 * |------|-----------------|----------------------------------|------------------------------------|
 * | 0    | JOIN            | id 0 = mesh, else client/server; | id 0, data = lobby name            |
 * |      |                 | data = lobby name, "" = create   |                                    |
 * | 1    | ID              | -                                | id = your id (1 = host), data      |
 * |      |                 |                                  | "true" in a mesh lobby else ""     |
 * | 2    | PEER_CONNECT    | -                                | id = a peer of your lobby          |
 * | 3    | PEER_DISCONNECT | -                                | id = the peer that left            |
 * | 4-6  | OFFER, ANSWER,  | id = destination (1 = host)      | id = sender (host presented as 1)  |
 * |      | CANDIDATE       | data relayed unchanged           |                                    |
 * | 7    | SEAL            | host only, id ignored            | id 0: lobby sealed                 |
 *
 * Every protocol error closes the socket with code 4000 and a reason (no error frame).
 */
export const MessageType = {
  JOIN: 0,
  ID: 1,
  PEER_CONNECT: 2,
  PEER_DISCONNECT: 3,
  OFFER: 4,
  ANSWER: 5,
  CANDIDATE: 6,
  SEAL: 7,
} as const;

export type MessageTypeValue = (typeof MessageType)[keyof typeof MessageType];

export interface SignalMessage {
  readonly type: number;
  readonly id: number;
  readonly data: string;
}

/** Close code for protocol errors (server.js ProtoError 4000) and for a completed seal (1000). */
export const CLOSE_PROTOCOL_ERROR = 4000;
export const CLOSE_SEAL_COMPLETE = 1000;

/** Close reasons, word for word from server.js so clients can show the same text. */
export const CloseReason = {
  NO_LOBBY: 'Have not joined lobby yet',
  HOST_DISCONNECTED: 'Room host has disconnected',
  ONLY_HOST_CAN_SEAL: 'Only host can seal the lobby',
  SEAL_COMPLETE: 'Seal complete',
  TOO_MANY_LOBBIES: 'Too many lobbies open, disconnecting',
  ALREADY_IN_LOBBY: 'Already in a lobby',
  LOBBY_DOES_NOT_EXISTS: 'Lobby does not exists',
  LOBBY_IS_SEALED: 'Lobby is sealed',
  INVALID_FORMAT: 'Invalid message format',
  NEED_LOBBY: 'Invalid message when not in a lobby',
  SERVER_ERROR: 'Server error, lobby not found',
  INVALID_DEST: 'Invalid destination',
  INVALID_CMD: 'Invalid command',
  TOO_MANY_PEERS: 'Too many peers connected',
  INVALID_TRANSFER_MODE: 'Invalid transfer mode, must be text',
  // rtcpeer additions (bounded input; server.js has no such limits).
  TOO_LARGE: 'Message too large',
  TOO_FAST: 'Too many messages',
} as const;

/** One frame as every sender in the demo writes it: all three keys, data defaulting to "". */
export function formatMessage(type: number, id: number, data = ''): string {
  return JSON.stringify({ type, id, data });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e: unknown) {
    if (e instanceof SyntaxError) return undefined;
    throw e;
  }
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

/**
 * Server-side parsing, as server.js parseMsg: `type`/`id` must be JSON numbers (floored), `data` a
 * string (anything else counts as ""); a missing, non-numeric or negative type or id is undefined
 * (→ close 4000 "Invalid message format"), as is text that is not a JSON object.
 */
export function parseClientMessage(text: string): SignalMessage | undefined {
  const json = parseJsonObject(text);
  if (!json) return undefined;
  const type = typeof json['type'] === 'number' ? Math.floor(json['type']) : -1;
  const id = typeof json['id'] === 'number' ? Math.floor(json['id']) : -1;
  const data = typeof json['data'] === 'string' ? json['data'] : '';
  if (!(type >= 0) || !(id >= 0) || !Number.isSafeInteger(type) || !Number.isSafeInteger(id)) return undefined;
  return { type, id, data };
}

/**
 * Client-side parsing, as ws_webrtc_client.gd _parse_msg: an object with `type` and `id` and a string
 * `data`; numbers are truncated to ints (GDScript `int()`).
 */
export function parseServerMessage(text: string): SignalMessage | undefined {
  const json = parseJsonObject(text);
  if (!json || !('type' in json) || !('id' in json) || typeof json['data'] !== 'string') return undefined;
  const type = Number(json['type']);
  const id = Number(json['id']);
  if (!Number.isFinite(type) || !Number.isFinite(id)) return undefined;
  return { type: Math.trunc(type), id: Math.trunc(id), data: json['data'] };
}

/** An ICE candidate as the demo client relays it. */
export interface RelayedCandidate {
  readonly mid: string;
  readonly index: number;
  readonly sdp: string;
}

/** `"\n" + mid + "\n" + index + "\n" + sdp`, exactly as ws_webrtc_client.gd send_candidate. */
export function formatCandidate(mid: string, index: number, sdp: string): string {
  return `\n${mid}\n${index}\n${sdp}`;
}

/**
 * The demo client's reading: split on "\n" dropping empty parts, exactly 3 parts, the middle one a
 * valid int (`is_valid_int`: optional sign then digits). Anything else is undefined.
 */
export function parseCandidate(data: string): RelayedCandidate | undefined {
  const parts = data.split('\n').filter((p) => p !== '');
  if (parts.length !== 3) return undefined;
  const [mid, index, sdp] = parts as [string, string, string];
  if (!/^[+-]?\d+$/.test(index)) return undefined;
  return { mid, index: Number.parseInt(index, 10), sdp };
}
