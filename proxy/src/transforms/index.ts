export { transformMessage, transformOptionsFromConfig } from './transform';
export type { TransformOptions, TransformResult } from './transform';
