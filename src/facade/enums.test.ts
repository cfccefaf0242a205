import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelState, ConnectionState, GatheringState, SignalingState, WriteMode, godotChannelState, godotSignalingState } from './enums.js';
import { GodotError, godotErrorName } from './godot-errors.js';

// Values from godot-api.md §1.1, §2.1, §3.1 (Godot 4 headers). A change here breaks GDScript ports.
test('Godot Error values', () => {
  const expected: Record<string, number> = {
    OK: 0, FAILED: 1, ERR_UNAVAILABLE: 2, ERR_UNCONFIGURED: 3, ERR_UNAUTHORIZED: 4, ERR_PARAMETER_RANGE_ERROR: 5,
    ERR_OUT_OF_MEMORY: 6, ERR_FILE_EOF: 18, ERR_CANT_OPEN: 19, ERR_CANT_CREATE: 20, ERR_QUERY_FAILED: 21,
    ERR_ALREADY_IN_USE: 22, ERR_LOCKED: 23, ERR_TIMEOUT: 24, ERR_CANT_CONNECT: 25, ERR_CANT_RESOLVE: 26,
    ERR_CONNECTION_ERROR: 27, ERR_CANT_ACQUIRE_RESOURCE: 28, ERR_CANT_FORK: 29, ERR_INVALID_DATA: 30,
    ERR_INVALID_PARAMETER: 31, ERR_ALREADY_EXISTS: 32, ERR_DOES_NOT_EXIST: 33, ERR_DATABASE_CANT_READ: 34,
    ERR_DATABASE_CANT_WRITE: 35, ERR_COMPILATION_FAILED: 36, ERR_METHOD_NOT_FOUND: 37, ERR_LINK_FAILED: 38,
    ERR_SCRIPT_FAILED: 39, ERR_CYCLIC_LINK: 40, ERR_INVALID_DECLARATION: 41, ERR_DUPLICATE_SYMBOL: 42,
    ERR_PARSE_ERROR: 43, ERR_BUSY: 44, ERR_SKIP: 45, ERR_HELP: 46, ERR_BUG: 47, ERR_PRINTER_ON_FIRE: 48,
  };
  for (const [k, v] of Object.entries(expected)) assert.equal((GodotError as Record<string, number>)[k], v, k);
  const values = Object.values(GodotError);
  assert.deepEqual(values, Array.from({ length: 49 }, (_, i) => i), 'dense 0..48, in order');
  assert.equal(godotErrorName(3), 'ERR_UNCONFIGURED');
  assert.equal(godotErrorName(99), 'UNKNOWN_ERROR(99)');
});

test('WebRTC enums', () => {
  assert.deepEqual(Object.values(ConnectionState), [0, 1, 2, 3, 4, 5]);
  assert.equal(ConnectionState.STATE_FAILED, 4);
  assert.deepEqual(GatheringState, { GATHERING_STATE_NEW: 0, GATHERING_STATE_GATHERING: 1, GATHERING_STATE_COMPLETE: 2 });
  assert.equal(SignalingState.SIGNALING_STATE_HAVE_REMOTE_PRANSWER, 4);
  assert.deepEqual(WriteMode, { WRITE_MODE_TEXT: 0, WRITE_MODE_BINARY: 1 });
  assert.deepEqual(ChannelState, { STATE_CONNECTING: 0, STATE_OPEN: 1, STATE_CLOSING: 2, STATE_CLOSED: 3 });
  assert.equal(godotSignalingState('have-local-pranswer'), 3);
  assert.equal(godotSignalingState('closed'), 5);
  assert.equal(godotChannelState('closing'), 2);
  assert.equal(godotChannelState('open'), 1);
});
