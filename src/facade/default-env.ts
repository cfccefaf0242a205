/**
 * Makes `new WebRTCPeerConnection()` use the Node UDP binding (non-loopback interfaces, as browsers
 * gather). Imported for its effect by the package entry (src/index.ts) only, so tests that import
 * the facade directly never open sockets by accident. `setDefaultExtension()` overrides it.
 */
import { nodeBinding } from './node-binding.js';
import { WebRTCPeerConnection } from './peer-connection.js';

WebRTCPeerConnection.installDefaultEnv(() => nodeBinding());
