// The Node binding both processes of the two-process test use: loopback only. DTLS is the toy
// double from doubles.ts until src/dtls is committed (then: the real endpoint).
import { nodeBinding } from '../../../src/facade/node-binding.js';
import type { StackBinding } from '../../../src/facade/index.js';
import { fakeLayers } from './doubles.js';

export function childEnv(): StackBinding {
  return nodeBinding({ addresses: ['127.0.0.1'], dtls: (rng) => fakeLayers(rng, `p${rng.u32()}`).dtls });
}
