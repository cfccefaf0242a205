/** UDP handles still open after a few turns of the event loop (libuv finishes closes in its close phase). */
export async function openUdpHandles(): Promise<number> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
}
