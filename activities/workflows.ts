/**
 * The canvas example in workflow code: an uploaded product image becomes thumbnails in
 * several sizes (a group of `thumbnail` tasks) and then a manifest of them all (the chord's
 * body, `image_manifest`, which receives the thumbnails first). The same canvas could be
 * POSTed to /tasks; here a workflow of your own runs it.
 */
import { chord, immutableSignature, runCanvas, signature } from '../src/workflow.js';

export interface ProductImageInput {
  source: string;
  sizes: number[];
  outDir: string;
}

export async function processProductImage({ source, sizes, outDir }: ProductImageInput): Promise<unknown> {
  return runCanvas(
    chord(
      sizes.map((width) => immutableSignature('thumbnail', [source, width, outDir])),
      signature('image_manifest', [source, outDir]),
    ),
  );
}
