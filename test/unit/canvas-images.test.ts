/** The image tasks of the canvas example, called directly on a real image made with sharp. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageManifest, thumbnail } from '../../activities/images.js';

let dir: string;
let source: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'celerity-images-'));
  source = join(dir, 'shoe.png');
  await sharp({ create: { width: 800, height: 600, channels: 3, background: '#c0ffee' } }).png().toFile(source);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('thumbnail fits the width, keeps the aspect ratio, never enlarges, and writes WebP', async () => {
  const out = join(dir, 'thumbs');
  const small = await thumbnail.fn(source, 200, out);
  expect(small).toMatchObject({ path: join(out, 'shoe-200.webp'), width: 200, height: 150, format: 'webp' });
  expect((await sharp(small.path).metadata()).width).toBe(200);
  const large = await thumbnail.fn(source, 2000, out);
  expect(large).toMatchObject({ width: 800, height: 600 });
  await expect(thumbnail.fn(source, 0, out)).rejects.toThrow('width must be a whole number');
});

test('image_manifest records the source and the thumbnails, smallest first, in manifest.json', async () => {
  const out = join(dir, 'manifest');
  const thumbs = [await thumbnail.fn(source, 400, out), await thumbnail.fn(source, 100, out)];
  const manifest = await imageManifest.fn(thumbs, source, out);
  expect(manifest.source).toMatchObject({ path: source, width: 800, height: 600, format: 'png' });
  expect(manifest.thumbnails.map((t) => t.width)).toEqual([100, 400]);
  expect(JSON.parse(await readFile(manifest.manifest, 'utf8'))).toEqual(manifest);
});
