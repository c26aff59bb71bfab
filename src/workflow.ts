/**
 * `celerity/workflow`: what an app's own workflow code may import. Everything here is
 * deterministic and imports no Node API, so it is safe in Temporal's workflow sandbox; a
 * worker bundles the app's workflows with Celerity's (see `workflowsPath` in defineApp).
 *
 * ```ts
 * import { chord, signature, runCanvas } from 'celerity/workflow';
 * export const report = (sources: string[]) =>
 *   runCanvas(chord(sources.map((s) => signature('fetch', [s])), signature('merge')));
 * ```
 */
export { runCanvas } from '../workflows/canvas.js';
export * from './canvas/builders.js';
export type { Canvas, ChainSignature, ChordSignature, GroupSignature, MapSignature, SignatureOptions, TaskSignature } from './canvas/model.js';
