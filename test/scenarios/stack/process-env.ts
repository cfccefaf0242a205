// The Node binding both processes of the two-process test use: loopback only, the real stack.
import { nodeBinding } from '../../../src/facade/node-binding.js';
import type { StackBinding } from '../../../src/facade/index.js';

export function childEnv(): StackBinding {
  return nodeBinding({ addresses: ['127.0.0.1'] });
}
