/** Which proxy this is and since when it runs: `/health` and the Status page show it. */
export interface ProxyInfo {
  version: string;
  startedAt: Date;
}

export const PROXY_VERSION: string = require('../package.json').version;
