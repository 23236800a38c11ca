import type { Configuration } from 'webpack';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'node:path';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

/**
 * Extends the scaffold's config: `@shared/*` resolves as in tsconfig.json, and the nested datasource gets its own
 * logos in dist/datasource/img (the scaffold copies only the root plugin's).
 */
const config = async (env: Env): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    resolve: { alias: { '@shared': path.resolve(__dirname, 'src/shared') } },
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: 'datasource/img', to: 'datasource/img' }] })],
  });

export default config;
