import type { AddressInfo } from 'node:net';

export interface BoundAddress {
  host: string;
  port: number;
}

/** What a listening server's `address()` reports (port 0 in the config becomes the kernel's pick), else `configured`. */
export function boundAddress(address: AddressInfo | string | null, configured: BoundAddress): BoundAddress {
  return typeof address === 'object' && address ? { host: address.address, port: address.port } : { host: configured.host, port: configured.port };
}
