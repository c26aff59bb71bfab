/**
 * Celery's canvas upgrades (CANVAS.md rules 7, 8 and 14), applied before a canvas runs. Pure.
 */
import type { Canvas, ChordSignature, SignatureOptions } from './model.js';

export function normalize(canvas: Canvas): Canvas {
  switch (canvas.kind) {
    case 'chain':
      return normalizeChain(canvas.tasks.map(normalize), canvas.options);
    case 'group':
      // Rule 8: nested groups flatten into one list.
      return { ...canvas, tasks: canvas.tasks.map(normalize).flatMap((t) => (t.kind === 'group' && isPlain(t.options) ? t.tasks : [t])) };
    case 'chord':
      return { ...canvas, header: canvas.header.map(normalize).flatMap((t) => (t.kind === 'group' && isPlain(t.options) ? t.tasks : [t])), body: normalize(canvas.body) };
    default:
      return canvas;
  }
}

function normalizeChain(steps: Canvas[], options: SignatureOptions): Canvas {
  const flat: Canvas[] = [];
  for (const step of steps) {
    // Rule 7: nested chains flatten; a one-member group in a chain unrolls to that member.
    if (step.kind === 'chain' && isPlain(step.options)) flat.push(...step.tasks);
    else if (step.kind === 'group' && step.tasks.length === 1 && isPlain(step.options)) flat.push(step.tasks[0]);
    else flat.push(step);
  }
  // Rule 14: a group followed by anything becomes a chord with that as its body; a chord
  // followed by a step takes the step into its body.
  const upgraded: Canvas[] = [];
  for (const step of flat) {
    const previous = upgraded[upgraded.length - 1];
    if (previous?.kind === 'group') {
      upgraded[upgraded.length - 1] = { kind: 'chord', header: previous.tasks, body: step, options: previous.options };
    } else if (previous?.kind === 'chord' && isPlain(previous.options)) {
      upgraded[upgraded.length - 1] = extendBody(previous, step);
    } else {
      upgraded.push(step);
    }
  }
  if (upgraded.length === 1 && isPlain(options)) return upgraded[0];
  return { kind: 'chain', tasks: upgraded, options };
}

function extendBody(chord: ChordSignature, step: Canvas): ChordSignature {
  const body = chord.body.kind === 'chain' ? [...chord.body.tasks, step] : [chord.body, step];
  return { ...chord, body: normalizeChain(body, {}) };
}

/** A signature without options of its own can be merged into its parent without loss. */
function isPlain(options: SignatureOptions): boolean {
  return Object.keys(options).length === 0;
}
