/**
 * E-commerce image processing, the canvas example: an uploaded product image becomes
 * thumbnails in several sizes (a group of `thumbnail` tasks), then one `image_manifest` task
 * (the chord body) records the source's metadata and every thumbnail's. Paths are on storage
 * every worker shares (a local folder in development).
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { defineTask } from '../src/tasks/index.js';

/** What a thumbnail task produced; the manifest lists these, smallest first. */
export interface ThumbnailInfo {
  path: string;
  width: number;
  height: number;
  format: string;
  bytes: number;
}

export interface ImageManifest {
  source: ThumbnailInfo;
  thumbnails: ThumbnailInfo[];
  manifest: string;
}

/** Fits the image into `width` pixels wide (never enlarging it) and writes it as WebP. */
export const thumbnail = defineTask(
  'thumbnail',
  { params: ['source', 'width', 'out_dir'] },
  async (source: string, width: number, outDir: string): Promise<ThumbnailInfo> => {
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be a whole number of pixels, got ${width}`);
    await mkdir(outDir, { recursive: true });
    const path = join(outDir, `${basename(source, extname(source))}-${width}.webp`);
    const info = await sharp(source).resize({ width, withoutEnlargement: true }).webp().toFile(path);
    return { path, width: info.width, height: info.height, format: info.format, bytes: info.size };
  },
);

/** The chord body: reads the source's metadata and writes `manifest.json` beside the thumbnails. */
export const imageManifest = defineTask(
  'image_manifest',
  { params: ['thumbnails', 'source', 'out_dir'] },
  async (thumbnails: ThumbnailInfo[], source: string, outDir: string): Promise<ImageManifest> => {
    const [metadata, file] = await Promise.all([sharp(source).metadata(), stat(source)]);
    const manifest = join(outDir, 'manifest.json');
    const content: ImageManifest = {
      source: { path: source, width: metadata.width ?? 0, height: metadata.height ?? 0, format: metadata.format ?? 'unknown', bytes: file.size },
      thumbnails: [...thumbnails].sort((a, b) => a.width - b.width),
      manifest,
    };
    await mkdir(outDir, { recursive: true });
    await writeFile(manifest, JSON.stringify(content, null, 2));
    return content;
  },
);

export const imageTasks = [thumbnail, imageManifest];
