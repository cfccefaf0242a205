/**
 * Real multicast mDNS inside one lab namespace (run by test/root/mdns-lab.test.ts): a publishing
 * NodeMdns answers for a fresh `<uuid>.local` name and a second NodeMdns resolves it through
 * 224.0.0.251:5353. Prints `resolved <name> <addresses json>` or `unresolved <name>`.
 */
import { MDNS_GROUP_V4, NodeMdns } from '../../src/io/mdns.js';

const [address] = process.argv.slice(2);
const publisher = await NodeMdns.open({ groups: [MDNS_GROUP_V4], publish: true });
const name = publisher.publish(address ?? '198.18.1.2') ?? '';
const resolver = await NodeMdns.open({ groups: [MDNS_GROUP_V4], timeoutMs: 3000 });
console.log(`ports ${JSON.stringify([...publisher.localPorts, ...resolver.localPorts])}`);
const got = await resolver.resolve(name);
console.log(got ? `resolved ${name} ${JSON.stringify(got)}` : `unresolved ${name}`);
const none = await resolver.resolve('nobody-0000.local');
console.log(`nobody ${JSON.stringify(none ?? null)}`);
publisher.close();
resolver.close();
