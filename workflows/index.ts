/** Every workflow type Celerity's workers register. */
export { task } from './task.js';
export { canvas } from './canvas.js';
export { processProductImage } from './images.js';
