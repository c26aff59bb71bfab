/** The app contract: where `-A` finds the app module, and what a module must export to be one. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppLoadError, appModulePath, defineApp, loadApp } from '../../src/app.js';
import { TaskRegistry } from '../../src/tasks/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'celerity-app-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

test('a package.json that is not JSON is named', async () => {
  const broken = path.join(dir, 'broken');
  await mkdir(broken);
  await writeFile(path.join(broken, 'package.json'), '{');
  expect(() => appModulePath(undefined, {}, broken)).toThrow(`${path.join(broken, 'package.json')}: not valid JSON`);
});

test('-A wins over CELERITY_APP, which wins over package.json; paths are taken from the current directory', async () => {
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ celerity: { app: './dist/app.js' } }));
  expect(appModulePath('./a.js', { CELERITY_APP: 'b.js' }, dir)).toBe(path.join(dir, 'a.js'));
  expect(appModulePath(undefined, { CELERITY_APP: 'b.js' }, dir)).toBe(path.join(dir, 'b.js'));
  expect(appModulePath(undefined, {}, dir)).toBe(path.join(dir, 'dist/app.js'));
  expect(() => appModulePath(undefined, {}, os.tmpdir())).toThrow(/no app given: pass -A \.\/dist\/app\.js/);
});

test('defineApp checks the registry, the beat schedule and the workflows path', () => {
  const registry = new TaskRegistry();
  expect(defineApp({ registry })).toEqual({ registry, beatSchedule: {}, workflowsPath: undefined });
  expect(defineApp({ registry, workflowsPath: new URL('file:///srv/app/workflows.js') }).workflowsPath).toBe('/srv/app/workflows.js');
  expect(() => defineApp({ registry: [] as unknown as TaskRegistry })).toThrow('defineApp(): registry must be a TaskRegistry');
  expect(() => defineApp({ registry, beatSchedule: [] as never })).toThrow('beatSchedule must be an object');
  expect(() => defineApp({ registry, workflowsPath: './workflows.js' })).toThrow('workflowsPath must be a file URL or an absolute path');
});

test('loadApp names the file and what is wrong with it', async () => {
  const file = (name: string) => path.join(dir, name);
  await writeFile(file('named.mjs'), 'export const registry = 1;');
  await writeFile(file('broken.mjs'), 'export default {');
  await writeFile(file('no-registry.mjs'), 'export default { beatSchedule: {} };');
  await writeFile(file('no-workflows.mjs'), `export default { registry: { get() {}, list() {}, activities() {} }, workflowsPath: ${JSON.stringify(file('gone.js'))} };`);
  await expect(loadApp(file('absent.js'))).rejects.toThrow(`app ${file('absent.js')}: no such file (built yet?)`);
  await expect(loadApp(file('named.mjs'))).rejects.toThrow(`app ${file('named.mjs')}: has no default export; export default defineApp(`);
  await expect(loadApp(file('named.mjs'))).rejects.toThrow('(it exports registry)');
  await expect(loadApp(file('broken.mjs'))).rejects.toThrow(`app ${file('broken.mjs')}: cannot be loaded: `);
  await expect(loadApp(file('no-registry.mjs'))).rejects.toThrow(`app ${file('no-registry.mjs')}: its default export: registry must be a TaskRegistry`);
  await expect(loadApp(file('no-workflows.mjs'))).rejects.toThrow(`workflowsPath ${file('gone.js')}: no such file or folder`);
  await expect(loadApp(file('absent.js'))).rejects.toBeInstanceOf(AppLoadError);
});

test('loadApp takes an ES module default export, and a CommonJS `exports.default`', async () => {
  const file = (name: string) => path.join(dir, name);
  const app = '{ registry: { get() {}, list() {}, activities() {} }, beatSchedule: { nightly: { task: "add", schedule: 60 } } }';
  await writeFile(file('esm.mjs'), `export default ${app};`);
  await writeFile(file('cjs.cjs'), `Object.defineProperty(exports, '__esModule', { value: true }); exports.default = ${app};`);
  for (const name of ['esm.mjs', 'cjs.cjs']) {
    expect(Object.keys((await loadApp(file(name))).beatSchedule)).toEqual(['nightly']);
  }
});
