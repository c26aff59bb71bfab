import { chain, chord, group, signature } from '../../src/canvas/builders.js';
import type { Canvas } from '../../src/canvas/model.js';
import { checkCanvasDepth, MAX_CANVAS_DEPTH, parseCanvas } from '../../src/canvas/parse.js';

/** `levels` signatures, each holding the next: alternately as a chord body, a group member, a link. */
function nestedCanvas(levels: number): Canvas {
  let canvas: Canvas = signature('add', [1, 1]);
  for (let level = 2; level <= levels; level++) {
    if (level % 3 === 0) canvas = chord([signature('add', [1, 1])], canvas);
    else if (level % 3 === 1) canvas = group(canvas, signature('add', [0, 0]));
    else canvas = signature('identity', [], {}, { link: [canvas] });
  }
  return canvas;
}

describe('canvas depth', () => {
  it('parseCanvas refuses JSON nesting signatures past the limit, naming the path', () => {
    const json = (levels: number) => JSON.parse(`${'{"chain":['.repeat(levels - 1)}{"task":"add","args":[1,1]}${']}'.repeat(levels - 1)}`);
    expect(() => parseCanvas(json(MAX_CANVAS_DEPTH))).not.toThrow();
    expect(() => parseCanvas(json(MAX_CANVAS_DEPTH + 1))).toThrow(
      `chain[0].chain[0].chain[0].chain[0].chain[0].chain[0].chain[0].chain[0]… nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`,
    );
    const celery = { task: 'celery.chain', kwargs: { tasks: [{ task: 'add', args: [1, 1] }] } };
    let deep: unknown = celery;
    for (let i = 0; i < 10_000; i++) deep = { task: 'celery.group', kwargs: { tasks: [deep] } };
    expect(() => parseCanvas(deep)).toThrow(`nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
  });

  it('checkCanvasDepth refuses a canvas built in code past the limit, at any depth', () => {
    expect(() => checkCanvasDepth(nestedCanvas(MAX_CANVAS_DEPTH))).not.toThrow();
    expect(() => checkCanvasDepth(nestedCanvas(MAX_CANVAS_DEPTH + 1))).toThrow(`the canvas nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
    let deep: Canvas = signature('add', [1, 1]);
    for (let i = 0; i < 100_000; i++) deep = chain(deep, signature('mul', [2]));
    expect(() => checkCanvasDepth(deep)).toThrow('nests signatures deeper');
  });
});
