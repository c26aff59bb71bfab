/** Every workflow type Celerity's workers register. */
export { task } from './task.js';
export { canvas, canvasPartition } from './canvas.js';
export { processProductImage } from './images.js';
