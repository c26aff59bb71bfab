/** Every workflow type Celerity's workers register (an app's own workflows are bundled beside them). */
export { task } from './task.js';
export { canvas, canvasPartition } from './canvas.js';
