import type { Logger } from '../core/logger.js';
import type { StackBinding } from './binding.js';
import type { ChannelLimits } from './data-channel.js';
import { WebRTCPeerConnection } from './peer-connection.js';

/** A peer connection bound to `env` (the simulator, a test network, or a custom transport). */
export function createPeerConnection(options: { env: StackBinding; logger?: Logger; channelLimits?: Partial<ChannelLimits> }): WebRTCPeerConnection {
  return new WebRTCPeerConnection(options);
}
